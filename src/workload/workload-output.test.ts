import { describe, expect, it } from 'vitest';
import { readWorkloadReport } from './workload-output.ts';

describe('readWorkloadReport', () => {
  it('keeps the steps reached and the last progress', () => {
    const output = [
      '{"event":"start","pid":1}',
      '{"event":"allocated","allocated":100,"rss":5}',
      'not json',
      '{"event":"progress","allocated":100,"touched":40,"rss":45}',
      '{"event":"progress","allocated":100,"touched":80,"rss":85}',
    ].join('\n');
    expect(readWorkloadReport(output)).toEqual({ events: ['start', 'allocated', 'progress'], allocatedBytes: 100, touchedBytes: 80, rssBytes: 85, runtime: null, nmt: [] });
  });

  it("keeps the JVM's own view: its last progress and every NMT summary", () => {
    const output = [
      '{"event":"progress","grow":"heap","grown":1048576,"heapUsed":2000,"heapCommitted":4000,"directUsed":0,"metaspaceUsed":900,"threads":1,"t_ms":10}',
      '{"event":"nmt","reservedKb":1500,"committedKb":130,"categoriesCommittedKb":{"Java Heap":64,"Class":1,"Thread":2},"t_ms":12}',
      'Terminating due to java.lang.OutOfMemoryError: Java heap space',
    ].join('\n');
    const report = readWorkloadReport(output)!;
    expect(report.runtime).toEqual({ heapUsed: 2000, heapCommitted: 4000, directUsed: 0, metaspaceUsed: 900, threads: 1 });
    expect(report.nmt).toEqual([{ tMs: 12, reservedKb: 1500, committedKb: 130, categoriesCommittedKb: { 'Java Heap': 64, Class: 1, Thread: 2 } }]);
  });
  it('is null for other programs', () => {
    expect(readWorkloadReport('hello\n')).toBeNull();
  });
});
