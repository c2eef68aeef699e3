import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { container, ROOT, runRecorded } from './support/cli.ts';
import { oomlabContainers, requireDocker } from './support/docker.ts';

const docker = await requireDocker();

describe.runIf(docker.available)('a docker-compose stack', () => {
  it('runs the example stack under a stand-in host with pressure, warns about ignored fields, and names the victim', async () => {
    const { record, result } = await runRecorded(['--compose', join(ROOT, 'examples/compose/docker-compose.yml'), '--pressure', 'hog:400m', '--host-memory', '600m']);
    expect(result.stderr).toMatch(/services\.cache\.ports: ignored/);
    expect(result.stderr).toMatch(/services\.cache\.restart: ignored/);
    const cache = container(record, 'default', 'cache');
    // cache carries oom_score_adj 300 in the compose file: the stand-in host's first victim.
    expect(cache.outcome).toBe('oom-killed');
    expect(cache.scope).toBe('parent');
    expect(cache.kills[0]!.oomScoreAdj).toBe(300);
    expect(cache.requested).toMatchObject({ memory: 256 * 1024 ** 2, memoryReservation: 128 * 1024 ** 2, oomScoreAdj: 300 });
    expect(container(record, 'default', 'db').outcome).toBe('survived');
    expect(container(record, 'default', 'app').requested).toMatchObject({ memory: 384 * 1024 ** 2, memoryReservation: 256 * 1024 ** 2 });
    const firstKill = record.variants[0]!.runs[0]!.containers.flatMap((c) => c.kills.map((k) => ({ name: c.name, at: k.kernelTime! }))).sort((a, b) => a.at.localeCompare(b.at))[0];
    expect(firstKill!.name).toBe('cache');
    expect(await oomlabContainers(`oomlab.run=${record.runId}`)).toEqual([]);
  });
});

describe.runIf(docker.available)('a scenario with a compose: section', () => {
  it('takes its containers from the compose file, and its variants change them', async () => {
    const { record } = await runRecorded([join(ROOT, 'examples/compose/compose-stack.yaml')]);
    expect(record.passed).toBe(true);
    expect(container(record, 'as-shipped', 'cache').outcome).toBe('oom-killed');
    expect(container(record, 'cache-adj-0', 'cache').outcome).toBe('survived');
    expect(container(record, 'cache-adj-0', 'cache').effective.oomScoreAdj).toBe(0);
    expect(container(record, 'cache-adj-0', 'pressure').outcome).toBe('oom-killed');
  });
});
