import { describe, expect, it } from 'vitest';
import { classifyContainer, emptyFacts, gatherFacts, type ContainerFacts } from './classify.ts';
import type { KernelOomReport } from '../evidence/kernel-log/kernel-oom-report.ts';
import type { Evidence } from '../evidence/evidence.ts';

function report(victimPid: number, victimComm = 'hog'): KernelOomReport {
  return {
    victimPid,
    victimComm,
    oomScoreAdj: 0,
    anonRssKb: 65024,
    fileRssKb: 548,
    shmemRssKb: 0,
    totalVmKb: 66780,
    constraint: 'CONSTRAINT_MEMCG',
    memcgOom: true,
    oomMemcg: '/docker/abc',
    taskMemcg: '/docker/abc',
    statsMemcg: '/docker/abc',
    invokedBy: null,
    memcgUsageKb: null,
    memcgLimitKb: null,
    candidates: [],
    kernelTimeUs: 1,
    wallTime: null,
    sequence: 1,
    host: null,
    reaped: null,
    rawLines: [],
  };
}

const base: ContainerFacts = {
  ...emptyFacts('hog'),
  mainPid: 100,
  kernelLog: 'kmsg',
  final: { running: false, exitCode: 0, oomKilled: false, error: null },
};
const exited = (exitCode: number, oomKilled = false) => ({ running: false, exitCode, oomKilled, error: null });
const kill = (pid: number, scope: 'container' | 'parent' | 'global' = 'container') => ({ report: report(pid), scope, observedAt: '' });

describe('classifyContainer', () => {
  it.each<[string, Partial<ContainerFacts>, string, string | null, string]>([
    ['clean exit', {}, 'survived', null, 'exit-status'],
    ['kernel killed the main pid', { kills: [kill(100)], final: exited(137, true) }, 'oom-killed', 'container', 'kernel-log'],
    ['the stand-in host killed it', { kills: [kill(100, 'parent')], final: exited(137, true) }, 'oom-killed', 'parent', 'kernel-log'],
    ['a global OOM killed it', { kills: [kill(100, 'global')], final: exited(137, false) }, 'oom-killed', 'global', 'kernel-log'],
    ['a child was killed and the container exited 0', { kills: [kill(150)], final: exited(0, true) }, 'child-oom-killed', 'container', 'kernel-log'],
    ['a child was killed, container still running', { kills: [kill(150)], final: { running: true, exitCode: null, oomKilled: false, error: null } }, 'child-oom-killed', 'container', 'kernel-log'],
    ['137 without any OOM evidence', { final: exited(137) }, 'killed', null, 'exit-status'],
    ['137 and the engine flag, but no kernel record', { final: exited(137, true) }, 'killed', null, 'exit-status'],
    ['no kernel log, the oom counter rose, 137', { kernelLog: 'none', oomCounterIncreased: true, final: exited(137, true) }, 'oom-killed', 'container', 'cgroup-counter'],
    ['no kernel log, the oom counter rose, exit 0', { kernelLog: 'none', oomCounterIncreased: true, final: exited(0, true) }, 'child-oom-killed', 'container', 'cgroup-counter'],
    ['workload says ENOMEM', { workloadSignals: [{ signal: 'alloc-failed', detail: null, line: '{"event":"alloc-failed"}' }], final: exited(12) }, 'alloc-failed', null, 'workload-output'],
    ['the JVM threw OutOfMemoryError', { workloadSignals: [{ signal: 'runtime-oom', detail: 'Java heap space', line: 'java.lang.OutOfMemoryError: Java heap space' }], final: exited(1) }, 'runtime-oom', null, 'workload-output'],
    ['the JVM could not reserve its heap', { workloadSignals: [{ signal: 'start-failed', detail: null, line: 'Could not reserve enough space for object heap' }], final: exited(1) }, 'start-failed', null, 'workload-output'],
    ['the kernel killed a JVM that had thrown OutOfMemoryError', { kills: [kill(100)], workloadSignals: [{ signal: 'runtime-oom', detail: 'Java heap space', line: '' }], final: exited(137, true) }, 'oom-killed', 'container', 'kernel-log'],
    ['exit 12 without the workload saying so', { final: exited(12) }, 'exited', null, 'exit-status'],
    ['under_oom with kill disabled', { hung: true, final: { running: true, exitCode: null, oomKilled: false, error: null } }, 'oom-hung', null, 'cgroup-counter'],
    ['a service still running when its load ended', { endedEarly: true, final: { running: true, exitCode: null, oomKilled: false, error: null } }, 'survived', null, 'harness'],
    ['ran past the timeout', { timedOut: true, final: { running: true, exitCode: null, oomKilled: false, error: null } }, 'timeout', null, 'harness'],
    ['create failed', { startFailure: 'no such image', final: null }, 'start-failed', null, 'harness'],
    ['state unknown', { final: null }, 'error', null, 'harness'],
    ['the host refused swapon', { hostRefusal: 'swapon refused', final: null }, 'error', null, 'harness'],
    ['non-zero exit', { final: exited(3) }, 'exited', null, 'exit-status'],
  ])('%s', (_title, override, outcome, scope, decidedBy) => {
    const verdict = classifyContainer({ ...base, ...override });
    expect(verdict.outcome).toBe(outcome);
    expect(verdict.scope).toBe(scope);
    expect(verdict.decidedBy).toBe(decidedBy);
  });

  it('flags an engine that disagrees with the kernel', () => {
    expect(classifyContainer({ ...base, final: exited(137, true) }).engineDisagrees).toBe(true);
    expect(classifyContainer({ ...base, kills: [kill(100)], final: exited(137, true) }).engineDisagrees).toBe(false);
  });
});

describe('gatherFacts', () => {
  it('folds evidence for one container and ignores the others', () => {
    const at = '2026-12-03T00:00:00.000Z';
    const evidence: Evidence[] = [
      { kind: 'run-started', at, variant: 'v', repeatIndex: 0, kernelLog: 'kmsg' },
      { kind: 'container-started', at, container: 'hog', id: 'abc', mainPid: 100, cgroup: '/docker/abc' },
      { kind: 'container-started', at, container: 'other', id: 'def', mainPid: 200, cgroup: '/docker/def' },
      { kind: 'kernel-oom-kill', at, container: 'hog', scope: 'container', source: 'kmsg', report: report(100) },
      { kind: 'kernel-oom-kill', at, container: 'other', scope: 'container', source: 'kmsg', report: report(200) },
      { kind: 'engine-event', at, container: 'hog', action: 'oom', exitCode: null, signal: null },
      { kind: 'container-exited', at, container: 'hog', exitCode: 137, oomKilled: true, running: false, error: null },
    ];
    const facts = gatherFacts(evidence, 'hog');
    expect(facts.mainPid).toBe(100);
    expect(facts.kills.map((k) => k.report.victimPid)).toEqual([100]);
    expect(facts.engineOomEvent).toBe(true);
    expect(classifyContainer(facts).outcome).toBe('oom-killed');
  });
});
