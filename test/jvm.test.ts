import { describe, expect, it } from 'vitest';
import { container, killedPidInReport, runRecorded } from './support/cli.ts';
import { requireDocker } from './support/docker.ts';

const docker = await requireDocker();

describe.runIf(docker.available)('jvm-heap-vs-limit on real Docker', () => {
  it('tells runtime-oom, oom-killed and start-failed apart, with the kind, the kernel record and NMT', async () => {
    const { record } = await runRecorded(['jvm-heap-vs-limit']);

    for (const [variant, kind] of [
      ['xmx256m-heap', 'Java heap space'],
      ['xmx256m-direct', 'Direct buffer memory'],
      ['maxram-75', 'Java heap space'],
      ['metaspace-32m', 'Metaspace'],
      ['threads-pids-200', 'unable to create native thread'],
    ] as const) {
      const jvm = container(record, variant, 'jvm');
      expect(jvm.outcome).toBe('runtime-oom');
      expect(jvm.runtimeOomKind).toBe(kind);
      expect(jvm.kills).toEqual([]);
      expect(jvm.oomKilled).toBe(false);
    }

    for (const variant of ['xmx1g-heap', 'direct-2g']) {
      const jvm = container(record, variant, 'jvm');
      expect(jvm.outcome).toBe('oom-killed');
      expect(jvm.scope).toBe('container');
      expect(jvm.exitCode).toBe(137);
      expect(jvm.kills[0]!.comm).toBe('java');
      expect(killedPidInReport(jvm.kills[0]!.report)).toBe(jvm.mainPid);
    }

    const tooBig = container(record, 'heap-beyond-address-limit', 'jvm');
    expect(tooBig.outcome).toBe('start-failed');
    expect(tooBig.reason).toMatch(/Error occurred during initialization of VM|Could not reserve enough space/);

    // The JVM's own view: NMT summaries and its heap against the limit.
    const heap = container(record, 'xmx256m-heap', 'jvm');
    expect(heap.workloadReport!.nmt.length).toBeGreaterThan(0);
    expect(heap.workloadReport!.nmt.at(-1)!.categoriesCommittedKb['Java Heap']).toBeGreaterThan(200 * 1024);
    expect(heap.workloadReport!.runtime!.heapUsed).toBeGreaterThan(200 * 1024 ** 2);
    expect(container(record, 'direct-2g', 'jvm').workloadReport!.runtime!.directUsed).toBeGreaterThan(256 * 1024 ** 2);
  });
});
