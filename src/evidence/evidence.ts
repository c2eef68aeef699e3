import type { KernelOomReport } from './kernel-log/kernel-oom-report.ts';
import type { KillScope } from '../outcome/outcomes.ts';
import type { MemorySettings } from '../plan/plan.ts';
import type { SettingDifference } from './settings-diff.ts';
import type { EngineAction } from '../engine/engine.ts';
import type { WorkloadSignal } from '../workload/catalog.ts';
import type { LoadPhase, MysqlServerReport } from '../load/mysql-load.ts';

/** Where the kernel's OOM reports came from. */
export type KernelLogSource = 'kmsg' | 'dmesg' | 'none';

/**
 * One thing the harness saw during a run, appended to events.ndjson as it happens.
 * `at` is the wall-clock time the harness observed it (ISO 8601, ms).
 */
export type Evidence =
  | { kind: 'run-started'; at: string; variant: string; repeatIndex: number; kernelLog: KernelLogSource }
  | { kind: 'container-created'; at: string; container: string; id: string; warnings: string[] }
  | { kind: 'container-started'; at: string; container: string; id: string; mainPid: number | null; cgroup: string | null }
  | { kind: 'start-failed'; at: string; container: string; message: string }
  | {
      kind: 'settings';
      at: string;
      container: string;
      requested: MemorySettings;
      effective: MemorySettings;
      differences: SettingDifference[];
    }
  | {
      kind: 'kernel-oom-kill';
      at: string;
      /** The run's container whose cgroup holds the victim, or null when it is outside the run. */
      container: string | null;
      scope: KillScope;
      source: KernelLogSource;
      report: KernelOomReport;
    }
  | { kind: 'engine-event'; at: string; container: string; action: EngineAction; exitCode: number | null; signal: string | null }
  | { kind: 'oom-counter'; at: string; container: string; count: number; previous: number }
  | { kind: 'under-oom'; at: string; container: string; hungForMs: number }
  | { kind: 'workload-signal'; at: string; container: string; signal: WorkloadSignal; detail: string | null; line: string }
  | { kind: 'container-exited'; at: string; container: string; exitCode: number | null; oomKilled: boolean | null; running: boolean; error: string | null }
  | { kind: 'timeout'; at: string; container: string; timeoutMs: number }
  | { kind: 'warning'; at: string; container: string | null; message: string }
  | {
      kind: 'host-knobs';
      at: string;
      /** name → value before the run set it, and the value read back after setting it. */
      sysctls: Record<string, { before: string | null; during: string | null }>;
      swapBytes: number | null;
    }
  | { kind: 'host-knob-refused'; at: string; message: string }
  | { kind: 'run-ended-early'; at: string; reason: 'load-finished' | 'first-kill' }
  | { kind: 'service-ready'; at: string; container: string; port: number; afterMs: number }
  | { kind: 'load-phase'; at: string; container: string; phase: LoadPhase }
  | { kind: 'load-finished'; at: string; container: string; completed: boolean; error: string | null }
  | { kind: 'service-report'; at: string; container: string; report: MysqlServerReport }
  | { kind: 'host-restored'; at: string; restored: string[]; failed: string[] }
  | { kind: 'run-finished'; at: string };

export type EvidenceKind = Evidence['kind'];

function assertNever(value: never): never {
  throw new Error(`unhandled evidence ${JSON.stringify(value)}`);
}

/** One human line per piece of evidence, for the plain (CI) progress output. */
export function formatEvidence(evidence: Evidence): string {
  switch (evidence.kind) {
    case 'run-started':
      return `run started: ${evidence.variant} #${evidence.repeatIndex + 1} (kernel log: ${evidence.kernelLog})`;
    case 'container-created':
      return `${evidence.container}: created ${evidence.id.slice(0, 12)}${evidence.warnings.length ? ` — engine warnings: ${evidence.warnings.join('; ')}` : ''}`;
    case 'container-started':
      return `${evidence.container}: started, main pid ${evidence.mainPid ?? '?'}, cgroup ${evidence.cgroup ?? '?'}`;
    case 'start-failed':
      return `${evidence.container}: start failed: ${evidence.message}`;
    case 'settings':
      return evidence.differences.length === 0
        ? `${evidence.container}: every requested setting is in force`
        : `${evidence.container}: not in force as requested: ${evidence.differences.map((d) => `${d.key} ${JSON.stringify(d.requested)} → ${JSON.stringify(d.effective)} (${d.reason})`).join('; ')}`;
    case 'kernel-oom-kill':
      return `${evidence.container ?? '(outside the run)'}: KERNEL OOM KILL of pid ${evidence.report.victimPid} (${evidence.report.victimComm}), scope ${evidence.scope}, oom_score_adj ${evidence.report.oomScoreAdj ?? '?'}, anon-rss ${evidence.report.anonRssKb ?? '?'} kB, oom cgroup ${evidence.report.oomMemcg ?? 'none'}`;
    case 'engine-event':
      return `${evidence.container}: engine event ${evidence.action}${evidence.exitCode === null ? '' : ` exit ${evidence.exitCode}`}${evidence.signal ? ` signal ${evidence.signal}` : ''}`;
    case 'oom-counter':
      return `${evidence.container}: cgroup oom_kill counter ${evidence.previous} → ${evidence.count}`;
    case 'under-oom':
      return `${evidence.container}: under_oom for ${evidence.hungForMs} ms with the OOM killer disabled`;
    case 'workload-signal':
      return `${evidence.container}: workload output says ${evidence.signal}${evidence.detail ? ` (${evidence.detail})` : ''}: ${evidence.line}`;
    case 'container-exited':
      return `${evidence.container}: ${evidence.running ? 'still running' : `exited ${evidence.exitCode}`}, engine OOMKilled=${evidence.oomKilled}${evidence.error ? `, error ${evidence.error}` : ''}`;
    case 'timeout':
      return `${evidence.container}: still running after ${evidence.timeoutMs} ms`;
    case 'warning':
      return `${evidence.container ? `${evidence.container}: ` : ''}warning: ${evidence.message}`;
    case 'host-knobs':
      return `host: ${Object.entries(evidence.sysctls).map(([name, v]) => `${name} ${v.before} → ${v.during}`).join(', ')}${evidence.swapBytes ? `${Object.keys(evidence.sysctls).length ? ', ' : ''}swap file of ${evidence.swapBytes} bytes on` : ''}`;
    case 'host-knob-refused':
      return `host refused a change: ${evidence.message}`;
    case 'host-restored':
      return `host restored: ${evidence.restored.join(', ') || 'nothing to restore'}${evidence.failed.length ? `; FAILED: ${evidence.failed.join(', ')}` : ''}`;
    case 'run-ended-early':
      return evidence.reason === 'first-kill' ? 'the run ends after the first OOM kill; containers still running survived it' : 'the run ends with its load phase';
    case 'service-ready':
      return `${evidence.container}: ready on 127.0.0.1:${evidence.port} after ${evidence.afterMs} ms`;
    case 'load-phase':
      return `${evidence.container}: load phase ${evidence.phase}`;
    case 'load-finished':
      return `${evidence.container}: load ${evidence.completed ? 'completed' : `stopped: ${evidence.error}`}`;
    case 'service-report':
      return `${evidence.container}: server reports buffer pool ${evidence.report.bufferPoolSizeBytes ?? '?'} bytes, ${evidence.report.bufferPoolPagesData ?? '?'} of ${evidence.report.bufferPoolPagesTotal ?? '?'} pages in use, ${evidence.report.maxUsedConnections ?? '?'} connections at most`;
    case 'run-finished':
      return 'run finished';
    default:
      return assertNever(evidence);
  }
}
