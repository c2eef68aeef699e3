import { describe, expect, it } from 'vitest';
import { recommend, scenarioForValue, tune, type TuneOptions } from './tune.ts';
import { parseScenario } from '../scenario/load.ts';

const MiB = 1024 ** 2;
const options: TuneOptions = { container: 'hog', param: 'memory', range: { low: 64 * MiB, high: 512 * MiB }, target: 'survived', repeat: 1, find: 'min', precision: 8 * MiB };

describe('tune', () => {
  it('bisects to the smallest limit that survives, within the precision', async () => {
    const truth = 209 * MiB;
    const result = await tune(options, async (value) => ({ value, outcomes: [value >= truth ? 'survived' : 'oom-killed'], met: value >= truth, runDir: '' }));
    expect(result.boundary! - truth).toBeGreaterThanOrEqual(0);
    expect(result.boundary! - result.nearestFailing!).toBeLessThanOrEqual(8 * MiB);
    expect(result.probes.length).toBeLessThanOrEqual(9);
    expect(recommend(result, 'min', 20)).toBe(Math.round(result.boundary! * 1.2));
  });

  it('finds the largest value for max, and says when the range holds no answer', async () => {
    const heap = await tune({ ...options, find: 'max' }, async (value) => ({ value, outcomes: [], met: value <= 300 * MiB, runDir: '' }));
    expect(heap.boundary!).toBeLessThanOrEqual(300 * MiB);
    expect(300 * MiB - heap.boundary!).toBeLessThanOrEqual(8 * MiB);
    const none = await tune(options, async (value) => ({ value, outcomes: [], met: false, runDir: '' }));
    expect(none).toMatchObject({ boundary: null, nearestFailing: 512 * MiB });
  });

  it('sets the value in the scenario: a limit (keeping no-swap) or an argument', () => {
    const scenario = parseScenario(
      'containers:\n  hog:\n    workload: hog\n    args: [--alloc, 200m, -Xmx1g]\nvariants:\n  v: { containers: { hog: { memory: 64m, memorySwap: 64m } } }\nexpect: { v: { hog: survived } }\n',
      't.yaml',
      't',
    );
    const limited = scenarioForValue(scenario, { ...options, variant: 'v' }, 100 * MiB);
    expect(limited.containers.hog).toMatchObject({ memory: 100 * MiB, memorySwap: 100 * MiB });
    expect(limited.variants).toBeUndefined();
    expect(limited.expect).toBeUndefined();
    expect(scenarioForValue(scenario, { ...options, param: 'arg:--alloc' }, 150 * MiB).containers.hog!.args).toEqual(['--alloc', '153600k', '-Xmx1g']);
    expect(scenarioForValue(scenario, { ...options, param: 'arg:-Xmx' }, 256 * MiB).containers.hog!.args).toEqual(['--alloc', '200m', '-Xmx262144k']);
  });
});
