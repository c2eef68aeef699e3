import { describe, expect, it } from 'vitest';
import { parseOomReaperLine } from './parse-oom-reaper.ts';

describe('parseOomReaperLine', () => {
  it('reads the reaper line', () => {
    expect(parseOomReaperLine('oom_reaper: reaped process 4624 (hog), now anon-rss:0kB, file-rss:4kB, shmem-rss:8kB')).toEqual({
      pid: 4624,
      comm: 'hog',
      anonRssKb: 0,
      fileRssKb: 4,
      shmemRssKb: 8,
    });
  });

  it('keeps a comm containing "), "', () => {
    expect(parseOomReaperLine('oom_reaper: reaped process 7 (a), b), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB')?.comm).toBe('a), b');
  });

  it('rejects other oom_reaper lines', () => {
    expect(parseOomReaperLine('oom_reaper: unable to reap pid:4624 (hog)')).toBeNull();
    expect(parseOomReaperLine('oom_reaper: reaped process x (hog)')).toBeNull();
  });
});
