import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseScenario } from './load.ts';
import { ScenarioError } from '../errors/errors.ts';

function problemsOf(text: string): string[] {
  try {
    parseScenario(text, 'bad.yaml', 'bad');
  } catch (error) {
    if (error instanceof ScenarioError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected the scenario to be rejected');
}

const minimal = `
containers:
  hog:
    workload: hog
    memory: 64m
`;

describe('parseScenario', () => {
  it('loads a minimal scenario with defaults and the file name', () => {
    const scenario = parseScenario(minimal, 'x.yaml', 'x');
    expect(scenario.name).toBe('x');
    expect(scenario.repeat).toBe(1);
    expect(scenario.timeout).toBe('60s');
    expect(scenario.engine).toBe('auto');
  });

  it('loads every shipped scenario', () => {
    for (const name of ['oom-basics', 'oom-score-adj', 'child-victim', 'oom-kill-disable']) {
      const text = readFileSync(new URL(`../../scenarios/${name}.yaml`, import.meta.url), 'utf8');
      expect(parseScenario(text, `${name}.yaml`, name).name).toBe(name);
    }
  });

  it('locates an unknown key and suggests the close one', () => {
    const lines = problemsOf(`containers:\n  hog:\n    workload: hog\n    memroy: 64m\n`);
    expect(lines).toEqual(['bad.yaml:4:5 containers.hog.memroy: unknown key "memroy"; did you mean "memory"?']);
  });

  it('reports every problem, one line each', () => {
    const lines = problemsOf(`timeout: soon\nrepeat: 0\ncontainers:\n  hog:\n    workload: hog\n    memory: lots\n`);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^bad\.yaml:1:10 timeout: expected a duration/);
    expect(lines.some((line) => line.startsWith('bad.yaml:2:9 repeat:'))).toBe(true);
    expect(lines.some((line) => line.startsWith('bad.yaml:6:13 containers.hog.memory: expected a size'))).toBe(true);
  });

  it('requires memory for memorySwap', () => {
    const lines = problemsOf(`containers:\n  hog:\n    workload: hog\n    memorySwap: 64m\n`);
    expect(lines).toEqual(['bad.yaml:4:5 containers.hog.memorySwap: memorySwap needs memory (as with docker run --memory-swap)']);
  });

  it('checks merged variants and points at the variant', () => {
    const lines = problemsOf(`containers:\n  hog:\n    workload: hog\n    memory: 64m\nvariants:\n  small:\n    containers:\n      hog: { memorySwap: 32m }\n`);
    expect(lines).toEqual(['bad.yaml:8:14 variants.small.containers.hog.memorySwap: memorySwap is memory + swap, so it cannot be smaller than memory']);
  });

  it('rejects expectations for variants or containers that do not exist', () => {
    const lines = problemsOf(`${minimal}variants:\n  a: {}\nexpect:\n  b: { hog: survived }\n  a: { hgo: survived }\n`);
    expect(lines[0]).toMatch(/^bad\.yaml:9:3 expect\.b: no variant named "b"/);
    expect(lines[1]).toBe('bad.yaml:10:8 expect.a.hgo: no container named "hgo"; did you mean "hog"?');
  });

  it('rejects an unknown outcome with a suggestion', () => {
    const lines = problemsOf(`${minimal}expect:\n  default: { hog: oom-kiled }\n`);
    expect(lines[0]).toMatch(/expect\.default\.hog: "oom-kiled" is not one of .*did you mean "oom-killed"\?/);
  });

  it('rejects host-wide sysctls on a container', () => {
    const lines = problemsOf(`containers:\n  hog:\n    workload: hog\n    sysctls: { vm.overcommit_memory: 2 }\n`);
    expect(lines[0]).toMatch(/^bad\.yaml:4:5 containers\.hog\.sysctls: vm\.overcommit_memory is kernel-global/);
  });

  it('reports YAML syntax errors with a position', () => {
    const lines = problemsOf(`containers:\n  hog: [unclosed\n`);
    expect(lines[0]).toMatch(/^bad\.yaml:\d+:\d+ \(yaml\): /);
  });

  it('validates matrix values at the matrix key', () => {
    const lines = problemsOf(`${minimal}matrix:\n  containers.hog.oomScoreAdj: [0, 5000]\n`);
    expect(lines[0]).toMatch(/^bad\.yaml:7:3 containers\.hog\.oomScoreAdj: .*variant hog\.oomScoreAdj=5000/);
  });
});
