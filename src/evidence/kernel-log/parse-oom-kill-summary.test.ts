import { describe, expect, it } from 'vitest';
import { parseOomKillSummary } from './parse-oom-kill-summary.ts';

describe('parseOomKillSummary', () => {
  it('reads a memcg OOM from a parent cgroup', () => {
    expect(
      parseOomKillSummary(
        'oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=ca4f21a6,mems_allowed=0,oom_memcg=/vhost,task_memcg=/vhost/ca4f21a6,task=hog,pid=16814,uid=0',
      ),
    ).toEqual({
      constraint: 'CONSTRAINT_MEMCG',
      nodemask: '(null)',
      cpuset: 'ca4f21a6',
      memsAllowed: '0',
      oomMemcg: '/vhost',
      globalOom: false,
      taskMemcg: '/vhost/ca4f21a6',
      task: 'hog',
      pid: 16814,
      uid: 0,
    });
  });

  it('reads a global OOM, whose global_oom flag has no value', () => {
    expect(
      parseOomKillSummary(
        'oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/user.slice,task=stress,pid=900,uid=1000',
      ),
    ).toMatchObject({ constraint: 'CONSTRAINT_NONE', oomMemcg: null, globalOom: true, taskMemcg: '/user.slice', pid: 900 });
  });

  it('keeps commas that belong to values', () => {
    expect(
      parseOomKillSummary(
        'oom-kill:constraint=CONSTRAINT_CPUSET,nodemask=0,2,cpuset=a,b,mems_allowed=0-1,3,oom_memcg=/x,y,task_memcg=/x,y/z,task=we,ird,pid=5,uid=6',
      ),
    ).toMatchObject({
      nodemask: '0,2',
      cpuset: 'a,b',
      memsAllowed: '0-1,3',
      oomMemcg: '/x,y',
      taskMemcg: '/x,y/z',
      task: 'we,ird',
      pid: 5,
      uid: 6,
    });
  });

  it('does not confuse global_oom inside a value with the flag', () => {
    expect(
      parseOomKillSummary('oom-kill:constraint=CONSTRAINT_NONE,cpuset=/,global_oomish,task_memcg=/,task=a,pid=1,uid=0'),
    ).toMatchObject({ globalOom: false, cpuset: '/,global_oomish' });
  });

  it('tolerates missing keys', () => {
    expect(parseOomKillSummary('oom-kill:constraint=CONSTRAINT_MEMCG,task=a,pid=1')).toMatchObject({
      constraint: 'CONSTRAINT_MEMCG',
      oomMemcg: null,
      taskMemcg: null,
      task: 'a',
      pid: 1,
      uid: null,
    });
  });

  it('rejects other lines', () => {
    expect(parseOomKillSummary('constraint=CONSTRAINT_MEMCG')).toBeNull();
    expect(parseOomKillSummary('oom-kill:')).toBeNull();
  });
});
