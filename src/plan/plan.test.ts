import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/load.ts';
import { planScenario } from './plan.ts';
import { UsageError } from '../errors/errors.ts';

const text = `
name: sweep
timeout: 10s
containers:
  app:
    workload: hog
    args: [--alloc, 100m]
    memory: 64m
  side:
    workload: hog
    command: sleep 1 && exec hog
variants:
  small: { containers: { app: { memory: 32m } } }
  big: { description: roomy, timeout: 20s, containers: { app: { memory: 1g, memorySwap: 1g } } }
matrix:
  containers.app.oomScoreAdj: [0, 500]
expect:
  "*": { side: survived }
  small,app.oomScoreAdj=0: { app: [oom-killed, killed] }
`;

describe('planScenario', () => {
  const scenario = parseScenario(text, 'sweep.yaml', 'sweep');

  it('expands variants × matrix × repeat into resolved runs', () => {
    const plan = planScenario(scenario, { repeat: 2 });
    expect(plan.variants.map((v) => v.name)).toEqual([
      'small,app.oomScoreAdj=0',
      'small,app.oomScoreAdj=500',
      'big,app.oomScoreAdj=0',
      'big,app.oomScoreAdj=500',
    ]);
    expect(plan.runs).toHaveLength(8);
    expect(plan.runs[7]).toMatchObject({ repeatIndex: 1, ordinal: 7 });
  });

  it('resolves sizes to bytes, durations to ms and workloads to images', () => {
    const [small, , big] = planScenario(scenario).variants;
    const app = small!.containers.find((c) => c.name === 'app')!;
    expect(app.requested).toEqual({ memory: 32 * 1024 ** 2, oomScoreAdj: 0 });
    expect(app.image).toBe('oomlab/hog:latest');
    expect(app.command).toEqual(['hog', '--alloc', '100m']);
    expect(small!.timeoutMs).toBe(10_000);
    expect(big!.timeoutMs).toBe(20_000);
    expect(big!.description).toBe('roomy');
    expect(big!.containers[0]!.requested.memorySwap).toBe(1024 ** 3);
    expect(small!.containers[1]!.command).toEqual(['sh', '-c', 'sleep 1 && exec hog']);
  });

  it('merges * expectations with per-variant ones', () => {
    const [small, smallHigh] = planScenario(scenario).variants;
    expect(small!.expect).toEqual({ side: ['survived'], app: ['oom-killed', 'killed'] });
    expect(smallHigh!.expect).toEqual({ side: ['survived'] });
  });

  it('narrows to --variant and refuses unknown names', () => {
    expect(planScenario(scenario, { variants: ['big,app.oomScoreAdj=500'] }).runs).toHaveLength(1);
    expect(() => planScenario(scenario, { variants: ['bigg,app.oomScoreAdj=500'] })).toThrow(UsageError);
  });
});
