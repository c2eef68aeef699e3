import { describe, expect, it } from 'vitest';
import { isNoVictimLine, parseKilledProcessLine } from './parse-killed-process.ts';

describe('parseKilledProcessLine', () => {
  it('reads the memcg form', () => {
    expect(
      parseKilledProcessLine(
        'Memory cgroup out of memory: Killed process 4624 (hog) total-vm:66780kB, anon-rss:65024kB, file-rss:548kB, shmem-rss:0kB, UID:0 pgtables:172kB oom_score_adj:0',
      ),
    ).toEqual({
      kind: 'killed',
      reason: 'Memory cgroup out of memory',
      memcgOom: true,
      pid: 4624,
      comm: 'hog',
      totalVmKb: 66780,
      anonRssKb: 65024,
      fileRssKb: 548,
      shmemRssKb: 0,
      uid: 0,
      pgtablesKb: 172,
      oomScoreAdj: 0,
      score: null,
    });
  });

  it('reads the global form with a negative adj', () => {
    expect(
      parseKilledProcessLine(
        'Out of memory: Killed process 900 (stress) total-vm:2000kB, anon-rss:1900kB, file-rss:4kB, shmem-rss:0kB, UID:1000 pgtables:39kB oom_score_adj:-999',
      ),
    ).toMatchObject({ reason: 'Out of memory', memcgOom: false, pid: 900, uid: 1000, oomScoreAdj: -999 });
  });

  it('reads the oom_kill_allocating_task form as global', () => {
    expect(
      parseKilledProcessLine('Out of memory (oom_kill_allocating_task): Killed process 5 (a) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB'),
    ).toMatchObject({ memcgOom: false, pid: 5 });
  });

  it('reads an old prefix-less line that lacks adj, uid and pgtables', () => {
    expect(
      parseKilledProcessLine('Killed process 1234 (x) total-vm:100kB, anon-rss:50kB, file-rss:10kB, shmem-rss:0kB'),
    ).toMatchObject({
      kind: 'killed',
      reason: null,
      memcgOom: null,
      pid: 1234,
      comm: 'x',
      totalVmKb: 100,
      anonRssKb: 50,
      uid: null,
      pgtablesKb: null,
      oomScoreAdj: null,
    });
  });

  it('reads the 2.6-era vsz: form', () => {
    expect(parseKilledProcessLine('Killed process 99 (httpd) vsz:2048kB, anon-rss:1024kB, file-rss:12kB')).toMatchObject({
      pid: 99,
      comm: 'httpd',
      totalVmKb: 2048,
      anonRssKb: 1024,
      shmemRssKb: null,
    });
  });

  it('reads a selection line', () => {
    expect(parseKilledProcessLine('Memory cgroup out of memory: Kill process 1234 (x) score 1000 or sacrifice child')).toMatchObject({
      kind: 'selected',
      memcgOom: true,
      pid: 1234,
      comm: 'x',
      score: 1000,
      anonRssKb: null,
    });
    expect(parseKilledProcessLine('Out of memory: kill process 7 (y) score 3 or a child')).toMatchObject({
      kind: 'selected',
      memcgOom: false,
      pid: 7,
      score: 3,
    });
  });

  it('keeps spaces and parentheses inside the comm', () => {
    expect(
      parseKilledProcessLine('Out of memory: Killed process 1 (Web (Content)) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB')?.comm,
    ).toBe('Web (Content)');
    expect(parseKilledProcessLine('Killed process 2 (a) b)')?.comm).toBe('a) b');
  });

  it('rejects lines that are not kill lines', () => {
    expect(parseKilledProcessLine('oom_reaper: reaped process 4624 (hog), now anon-rss:0kB')).toBeNull();
    expect(parseKilledProcessLine('bash: line 1: 42 Killed process ran out')).toBeNull();
    expect(parseKilledProcessLine('Killed process abc (x) total-vm:1kB')).toBeNull();
    expect(parseKilledProcessLine('Killed process 12 x')).toBeNull();
    expect(parseKilledProcessLine('Killed process 12 (x')).toBeNull();
  });
});

describe('isNoVictimLine', () => {
  it('recognises the give-up message', () => {
    expect(isNoVictimLine('Out of memory and no killable processes...')).toBe(true);
    expect(isNoVictimLine('Out of memory: Killed process 1 (a)')).toBe(false);
  });
});
