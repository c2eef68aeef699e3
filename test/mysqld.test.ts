import { describe, expect, it } from 'vitest';
import { container, killedPidInReport, runRecorded } from './support/cli.ts';
import { oomlabContainers, requireDocker } from './support/docker.ts';

const docker = await requireDocker();

describe.runIf(docker.available)('mysqld-buffer-pool on real Docker', () => {
  it('a 256M pool serves the load, a 1G pool is killed in warm-up, and the stand-in host picks mysqld until the neighbour is marked', async () => {
    const { record } = await runRecorded(['mysqld-buffer-pool']);

    const served = container(record, 'pool-256m', 'db');
    expect(served.outcome).toBe('survived');
    expect(served.kills).toEqual([]);
    // The server's own view, read over 127.0.0.1 after the load.
    expect(served.serviceReport!.bufferPoolSizeBytes).toBe(256 * 1024 ** 2);
    expect(served.serviceReport!.bufferPoolPagesData!).toBeGreaterThan(served.serviceReport!.bufferPoolPagesTotal! / 2);
    expect(served.serviceReport!.maxUsedConnections!).toBeGreaterThanOrEqual(10);

    const big = container(record, 'pool-1g', 'db');
    expect(big.outcome).toBe('oom-killed');
    expect(big.scope).toBe('container');
    expect(big.kills[0]!.comm).toBe('mariadbd');
    expect(killedPidInReport(big.kills[0]!.report)).toBe(big.mainPid);
    const events = record.variants.find((v) => v.name === 'pool-1g')!;
    expect(events.runs[0]!.containers[0]!.reason).toMatch(/main process/);

    const db = container(record, 'host-default', 'db');
    expect(db.outcome).toBe('oom-killed');
    expect(db.scope).toBe('parent');
    const neighbour = container(record, 'host-default', 'neighbour');
    // mysqld, the biggest, is the host's first victim.
    if (neighbour.kills.length > 0) expect(Date.parse(db.kills[0]!.kernelTime!)).toBeLessThan(Date.parse(neighbour.kills[0]!.kernelTime!));

    expect(container(record, 'host-neighbour-adj-500', 'db').outcome).toBe('survived');
    const marked = container(record, 'host-neighbour-adj-500', 'neighbour');
    expect(marked.outcome).toBe('oom-killed');
    expect(marked.kills[0]!.oomScoreAdj).toBe(500);
    expect(await oomlabContainers(`oomlab.run=${record.runId}`)).toEqual([]);
  });
});
