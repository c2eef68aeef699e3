import { describe, expect, it } from 'vitest';
import type { KernelOomReport } from './kernel-oom-report.ts';
import { createOomReportAssembler } from './oom-report-assembler.ts';
import { parseLogLine } from './parse-log-line.ts';
import { readFixture } from './test-fixtures.ts';

const REAPER = '6,502,201253300,-;oom_reaper: reaped process 4624 (hog), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB';

function fixtureLines(name: string): string[] {
  return readFixture(name)
    .split('\n')
    .filter((line) => line !== '');
}

describe('createOomReportAssembler', () => {
  it('emits the report on the Killed process line, not before', () => {
    const lines = fixtureLines('memcg-v1-docker-container-limit.kmsg');
    const assembler = createOomReportAssembler();
    const emittedAt: number[] = [];
    lines.forEach((line, i) => {
      if (assembler.push(line).length > 0) emittedAt.push(i);
    });
    expect(emittedAt).toEqual([lines.findIndex((line) => line.includes('Killed process'))]);
    expect(assembler.flush()).toEqual([]);
  });

  it('returns the complete report from that push', () => {
    const assembler = createOomReportAssembler();
    const reports = fixtureLines('memcg-v1-parent-cgroup-biggest-victim.kmsg').flatMap((line) => assembler.push(line));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      victimPid: 16557,
      oomMemcg: '/vhost',
      taskMemcg: '/vhost/049a0fe9df5c3f1a35d1abc5aba35d38024ddd1f88178ddc0785efb861937031',
      sequence: 817,
      reaped: null,
    });
  });

  it('reports a later oom_reaper line through onReaped, leaving the emitted object untouched', () => {
    const reaped: Array<[KernelOomReport, KernelOomReport]> = [];
    const assembler = createOomReportAssembler({ onReaped: (report, previous) => reaped.push([report, previous]) });
    const [emitted] = fixtureLines('memcg-v1-docker-container-limit.kmsg').flatMap((line) => assembler.push(line));
    const snapshot = structuredClone(emitted);

    expect(assembler.push('6,600,201000000,-;eth0: link up')).toEqual([]);
    expect(assembler.push(REAPER)).toEqual([]);

    expect(reaped).toHaveLength(1);
    const [report, previous] = reaped[0]!;
    expect(previous).toBe(emitted);
    expect(emitted).toEqual(snapshot);
    expect(report).toEqual({
      ...snapshot,
      reaped: { anonRssKb: 0 },
      rawLines: [...snapshot!.rawLines, REAPER.slice(REAPER.indexOf(';') + 1)],
    });
  });

  it('attaches a reaper line only once', () => {
    let calls = 0;
    const assembler = createOomReportAssembler({ onReaped: () => calls++ });
    fixtureLines('memcg-v1-docker-container-limit.kmsg').forEach((line) => assembler.push(line));
    assembler.push(REAPER);
    assembler.push(REAPER);
    expect(calls).toBe(1);
  });

  it('works without an onReaped callback', () => {
    const assembler = createOomReportAssembler();
    fixtureLines('memcg-v1-docker-container-limit.kmsg').forEach((line) => assembler.push(line));
    expect(assembler.push(REAPER)).toEqual([]);
  });

  it('accepts already-parsed lines', () => {
    const assembler = createOomReportAssembler();
    const reports = fixtureLines('memcg-v1-parent-cgroup-adj500-victim.kmsg').flatMap((line) => {
      const parsed = parseLogLine(line);
      return parsed ? assembler.pushParsed(parsed) : [];
    });
    expect(reports.map((report) => [report.victimPid, report.oomScoreAdj])).toEqual([[16814, 500]]);
  });

  it('ignores dictionary continuation lines and blank lines', () => {
    const assembler = createOomReportAssembler();
    const lines = fixtureLines('memcg-v1-plain-cgroup-python.kmsg').flatMap((line) => [
      line,
      ' SUBSYSTEM=memory',
      ' DEVICE=+memory:ceo-probe',
      '',
    ]);
    const reports = lines.flatMap((line) => assembler.push(line));
    expect(reports).toHaveLength(1);
    expect(reports[0]!.rawLines.some((line) => line.includes('SUBSYSTEM'))).toBe(false);
    expect(reports[0]!.candidates.map((candidate) => candidate.pid)).toEqual([2031]);
  });

  it('emits a pending old-style selection when the next report starts without its Killed line', () => {
    const assembler = createOomReportAssembler();
    expect(assembler.push('a invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0')).toEqual([]);
    expect(assembler.push('Memory cgroup out of memory: Kill process 10 (a) score 999 or sacrifice child')).toEqual([]);
    const superseded = assembler.push('b invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0');
    expect(superseded.map((report) => [report.victimPid, report.victimComm, report.memcgOom])).toEqual([[10, 'a', true]]);
    expect(assembler.flush()).toEqual([]);
  });

  it('flush drops reports that never named a victim', () => {
    const assembler = createOomReportAssembler();
    fixtureLines('memcg-v1-docker-container-limit.kmsg')
      .filter((line) => !line.includes('Killed process'))
      .forEach((line) => assembler.push(line));
    expect(assembler.flush()).toEqual([]);
  });

  it('bounds the number of reports left open', () => {
    const assembler = createOomReportAssembler();
    for (let i = 0; i < 100; i++) assembler.push(`t${i} invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0`);
    // The oldest headers were forgotten, so this kill closes the newest one.
    const [report] = assembler.push('Out of memory: Killed process 5 (t0) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB');
    expect(report!.invokedBy?.comm).toBe('t99');
  });
});
