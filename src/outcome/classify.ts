import type { Evidence, KernelLogSource } from '../evidence/evidence.ts';
import type { KernelOomReport } from '../evidence/kernel-log/kernel-oom-report.ts';
import type { KillScope, Outcome } from './outcomes.ts';
import type { WorkloadSignal } from '../workload/catalog.ts';

/** Everything the evidence says about one container in one run. */
export interface ContainerFacts {
  name: string;
  mainPid: number | null;
  startFailure: string | null;
  kills: Array<{ report: KernelOomReport; scope: KillScope; observedAt: string }>;
  kernelLog: KernelLogSource;
  /** The cgroup's own oom_kill counter went up during the run. */
  oomCounterIncreased: boolean;
  hung: boolean;
  timedOut: boolean;
  /** What the workload's output said, first line per signal. */
  workloadSignals: Array<{ signal: WorkloadSignal; detail: string | null; line: string }>;
  engineOomEvent: boolean;
  /** The run ended on purpose before every container exited (its load phase ended, or the first kill happened). */
  endedEarly: boolean;
  /** This container's own load phase failed, for a reason other than the server dying. */
  loadFailure: string | null;
  /** The host refused a change the run needed (e.g. swapon); nothing ran. */
  hostRefusal: string | null;
  final: { running: boolean; exitCode: number | null; oomKilled: boolean | null; error: string | null } | null;
}

/** Which kind of evidence decided the outcome. */
export type DecidedBy = 'kernel-log' | 'cgroup-counter' | 'workload-output' | 'exit-status' | 'harness';

export interface Verdict {
  outcome: Outcome;
  scope: KillScope | null;
  decidedBy: DecidedBy;
  reason: string;
  /** The specific kind, e.g. the JVM's "Java heap space" for runtime-oom. */
  detail: string | null;
  /** The engine's OOM flag says otherwise than the outcome; the kernel is preferred. */
  engineDisagrees: boolean;
}

/** Facts before any evidence: nothing seen yet. */
export function emptyFacts(container: string): ContainerFacts {
  return {
    name: container,
    mainPid: null,
    startFailure: null,
    kills: [],
    kernelLog: 'none',
    oomCounterIncreased: false,
    hung: false,
    timedOut: false,
    workloadSignals: [],
    engineOomEvent: false,
    hostRefusal: null,
    endedEarly: false,
    loadFailure: null,
    final: null,
  };
}

/** Folds a run's evidence into the facts about one container. Pure. */
export function gatherFacts(evidence: readonly Evidence[], container: string): ContainerFacts {
  const facts = emptyFacts(container);
  for (const item of evidence) {
    if (item.kind === 'run-started') {
      facts.kernelLog = item.kernelLog;
      continue;
    }
    if (item.kind === 'run-ended-early') {
      facts.endedEarly = true;
      continue;
    }
    if (item.kind === 'load-finished') {
      if (item.container === container && !item.completed) facts.loadFailure = item.error;
      continue;
    }
    if (item.kind === 'host-knob-refused') {
      facts.hostRefusal ??= item.message;
      continue;
    }
    if (!('container' in item) || item.container !== container) continue;
    switch (item.kind) {
      case 'container-started':
        facts.mainPid = item.mainPid;
        break;
      case 'start-failed':
        facts.startFailure = item.message;
        break;
      case 'kernel-oom-kill':
        facts.kills.push({ report: item.report, scope: item.scope, observedAt: item.at });
        break;
      case 'oom-counter':
        if (item.count > item.previous) facts.oomCounterIncreased = true;
        break;
      case 'under-oom':
        facts.hung = true;
        break;
      case 'timeout':
        facts.timedOut = true;
        break;
      case 'workload-signal':
        facts.workloadSignals.push({ signal: item.signal, detail: item.detail, line: item.line });
        break;
      case 'engine-event':
        if (item.action === 'oom') facts.engineOomEvent = true;
        break;
      case 'container-exited':
        facts.final = { running: item.running, exitCode: item.exitCode, oomKilled: item.oomKilled, error: item.error };
        break;
      default:
        break;
    }
  }
  return facts;
}

const SIGKILL_EXIT = 137;

/**
 * The outcome of one container, from its facts. Kernel evidence first, then the cgroup's counters,
 * then the workload's own word, and the exit status last: 137 alone never makes an OOM kill.
 */
export function classifyContainer(facts: ContainerFacts): Verdict {
  const engineSaysOom = facts.final?.oomKilled === true || facts.engineOomEvent;
  const verdict = (outcome: Outcome, decidedBy: DecidedBy, reason: string, scope: KillScope | null = null, detail: string | null = null): Verdict => ({
    outcome,
    scope,
    decidedBy,
    reason,
    detail,
    engineDisagrees: engineSaysOom !== (outcome === 'oom-killed' || outcome === 'child-oom-killed' || outcome === 'oom-hung'),
  });

  if (facts.hostRefusal) return verdict('error', 'harness', `not run: ${facts.hostRefusal}`);
  if (facts.startFailure) return verdict('start-failed', 'harness', facts.startFailure);

  const mainKill = facts.kills.find((kill) => facts.mainPid !== null && kill.report.victimPid === facts.mainPid);
  if (mainKill) {
    return verdict('oom-killed', 'kernel-log', `kernel killed the main process, pid ${mainKill.report.victimPid} (${mainKill.report.victimComm})`, mainKill.scope);
  }
  const [otherKill] = facts.kills;
  if (otherKill) {
    if (facts.mainPid === null && facts.final?.exitCode === SIGKILL_EXIT) {
      return verdict('oom-killed', 'kernel-log', `kernel killed pid ${otherKill.report.victimPid} (${otherKill.report.victimComm}); the main pid is unknown and the container died of SIGKILL`, otherKill.scope);
    }
    const ending = facts.final ? (facts.final.running ? 'the container kept running' : `the container exited ${facts.final.exitCode}`) : 'the container state is unknown';
    return verdict('child-oom-killed', 'kernel-log', `kernel killed pid ${otherKill.report.victimPid} (${otherKill.report.victimComm}), not the main process ${facts.mainPid}; ${ending}`, otherKill.scope);
  }
  if (facts.hung) return verdict('oom-hung', 'cgroup-counter', 'the cgroup sat under_oom with the OOM killer disabled');
  if (facts.oomCounterIncreased) {
    const fromCounter = `the cgroup's oom_kill counter rose, but no kernel report was read (kernel log: ${facts.kernelLog})`;
    return facts.final?.exitCode === SIGKILL_EXIT || facts.final === null
      ? verdict('oom-killed', 'cgroup-counter', fromCounter, 'container')
      : verdict('child-oom-killed', 'cgroup-counter', `${fromCounter}; the main process lived on`, 'container');
  }
  const said = (signal: WorkloadSignal) => facts.workloadSignals.find((s) => s.signal === signal);
  const startFailed = said('start-failed');
  if (startFailed) return verdict('start-failed', 'workload-output', `the workload could not start: ${startFailed.line}`);
  const runtimeOom = said('runtime-oom');
  if (runtimeOom) return verdict('runtime-oom', 'workload-output', `the runtime ran out of its own memory: ${runtimeOom.line}`, null, runtimeOom.detail);
  const allocFailed = said('alloc-failed');
  if (allocFailed) return verdict('alloc-failed', 'workload-output', `workload reported: ${allocFailed.line}`);
  if (facts.timedOut) return verdict('timeout', 'harness', 'still running when the timeout ran out');
  if (!facts.final) return verdict('error', 'harness', 'the final state of the container could not be read');
  if (facts.final.running && facts.loadFailure) return verdict('error', 'harness', `the load phase failed while the server was still running: ${facts.loadFailure}`);
  if (facts.final.running && facts.endedEarly) return verdict('survived', 'harness', 'still running, with no OOM kill in its cgroup, when the run ended');
  if (facts.final.running) return verdict('timeout', 'harness', 'still running at the end of the run');
  const { exitCode } = facts.final;
  if (exitCode === SIGKILL_EXIT) {
    const note = engineSaysOom ? '; the engine claims an OOM kill, but the kernel has no record of one' : '';
    return verdict('killed', 'exit-status', `exit 137 (SIGKILL) with no kernel kill record and no OOM counter change${note}`);
  }
  if (exitCode === 0) return verdict('survived', 'exit-status', 'exited 0 with no OOM kill in its cgroup');
  return verdict('exited', 'exit-status', `exited ${exitCode}${facts.final.error ? `: ${facts.final.error}` : ''}`);
}
