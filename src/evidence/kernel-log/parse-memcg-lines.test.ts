import { describe, expect, it } from 'vitest';
import { parseMemcgStatsHeader, parseMemcgUsage, parseTaskInMemcgLine } from './parse-memcg-lines.ts';

describe('parseMemcgUsage', () => {
  it('reads the memory counter', () => {
    expect(parseMemcgUsage('memory: usage 307200kB, limit 307200kB, failcnt 708')).toEqual({
      usageKb: 307200,
      limitKb: 307200,
      failcnt: 708,
    });
  });

  it('reads an unlimited limit exactly', () => {
    expect(parseMemcgUsage('memory: usage 1kB, limit 9007199254740988kB, failcnt 0')?.limitKb).toBe(9007199254740988);
  });

  it('ignores the other counters', () => {
    expect(parseMemcgUsage('memory+swap: usage 65536kB, limit 65536kB, failcnt 0')).toBeNull();
    expect(parseMemcgUsage('kmem: usage 392kB, limit 9007199254740988kB, failcnt 0')).toBeNull();
    expect(parseMemcgUsage('swap: usage 0kB, limit 0kB, failcnt 0')).toBeNull();
  });
});

describe('parseMemcgStatsHeader', () => {
  it('reads the cgroup path', () => {
    expect(parseMemcgStatsHeader('Memory cgroup stats for /vhost:')).toBe('/vhost');
    expect(parseMemcgStatsHeader('Memory cgroup stats for /:')).toBe('/');
  });

  it('rejects the inline form and other lines', () => {
    expect(parseMemcgStatsHeader('Memory cgroup stats for /docker/abc: cache:0KB rss:524288KB')).toBeNull();
    expect(parseMemcgStatsHeader('Memory cgroup stats for :')).toBeNull();
  });
});

describe('parseTaskInMemcgLine', () => {
  it('reads both cgroups', () => {
    expect(parseTaskInMemcgLine('Task in /vhost/app killed as a result of limit of /vhost')).toEqual({
      taskMemcg: '/vhost/app',
      oomMemcg: '/vhost',
    });
  });

  it('rejects other lines', () => {
    expect(parseTaskInMemcgLine('Task in /x was fine')).toBeNull();
  });
});
