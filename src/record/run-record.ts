import type { KillScope, Outcome } from '../outcome/outcomes.ts';
import type { DecidedBy } from '../outcome/classify.ts';
import type { MemorySettings, VirtualHostSpec } from '../plan/plan.ts';
import type { SettingDifference } from '../evidence/settings-diff.ts';
import type { HostInfo } from '../host/host-facts.ts';
import type { KernelLogSource } from '../evidence/evidence.ts';
import type { HostRunSummary } from '../host/host-sample.ts';
import type { WorkloadReport } from '../workload/workload-output.ts';
import type { MysqlServerReport } from '../load/mysql-load.ts';

export const RUN_RECORD_SCHEMA_VERSION = 1;

/** One kill by the kernel's OOM killer, as recorded in run.json. */
export interface KillRecord {
  /** Victim pid as the host sees it. */
  pid: number;
  comm: string;
  /** `container`: the container's own limit; `parent`: an ancestor cgroup (e.g. the stand-in host); `global`: the whole machine. */
  scope: KillScope;
  oomScoreAdj: number | null;
  anonRssKb: number | null;
  /** The victim's memory cgroup (task_memcg). */
  cgroup: string | null;
  /** The cgroup whose limit was hit (oom_memcg); null for a global OOM. */
  oomCgroup: string | null;
  constraint: string | null;
  /** When the kernel killed, in wall-clock time (ISO 8601), from the kernel log timestamp. */
  kernelTime: string | null;
  /** The kernel log timestamp itself: µs since boot. */
  kernelTimestampUs: number | null;
  /** When the harness saw the kill (ISO 8601). */
  observedAt: string;
  /** observedAt − kernelTime, in ms. */
  lagMs: number | null;
  /** Which process was running when the OOM killer was invoked. */
  invokedBy: string | null;
  /** The kernel's report, line by line, without log prefixes. */
  report: string[];
}

/** What happened to one container in one run, and how we know. */
export interface ContainerResult {
  name: string;
  id: string | null;
  workload: string;
  mainPid: number | null;
  outcome: Outcome;
  /** For oom-killed and child-oom-killed: whose limit the kernel enforced. */
  scope: KillScope | null;
  /** The evidence that decided the outcome. */
  decidedBy: DecidedBy;
  reason: string;
  /** For runtime-oom: the runtime's own name for it, e.g. the JVM's "Java heap space". */
  runtimeOomKind: string | null;
  /** Acceptable outcomes from the scenario's expect; null when none was set. */
  expected: Outcome[] | null;
  /** Whether the outcome is one of the expected ones; null when there was no expectation. */
  passed: boolean | null;
  exitCode: number | null;
  /** The engine's own OOM flag (Docker State.OOMKilled). */
  oomKilled: boolean | null;
  /** The engine's OOM flag disagrees with the outcome; the kernel's evidence wins. */
  engineDisagrees: boolean;
  requested: MemorySettings;
  /** Settings read back from the cgroup files after start. */
  effective: MemorySettings;
  /** Requested settings that are not in force as asked. */
  differences: SettingDifference[];
  /** The engine's create-time warnings and the harness's own. */
  warnings: string[];
  peakMemoryBytes: number | null;
  /** The most swap the container's cgroup used, as sampled. */
  peakSwapBytes: number | null;
  limitBytes: number | null;
  /** From container start to the first kill of this container, in ms. */
  timeToKillMs: number | null;
  kills: KillRecord[];
  /** The last lines the container printed. */
  logTail: string[];
  /** A service workload's own view of its memory (mysqld: buffer pool pages, connections), read after its load. */
  serviceReport: MysqlServerReport | null;
  /** What a JSON-lines workload said about itself (steps reached, bytes allocated and touched). */
  workloadReport: WorkloadReport | null;
}

/** One run of one variant. */
export interface RunResult {
  /** Repeat index within the variant, from 0. */
  index: number;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  passed: boolean;
  /** The host's side: knobs set for the run, and what the host went through. */
  host: RunHostRecord;
  containers: ContainerResult[];
}

export interface RunHostRecord {
  /** Each host sysctl the run set: before the run, while it ran, after it was restored. */
  sysctls: Record<string, { before: string | null; during: string | null; after: string | null }>;
  swap: { requestedBytes: number; enabled: boolean; error: string | null } | null;
  /** A host change the run needed and the host refused; the run's containers end as `error`. */
  refused: string | null;
  summary: HostRunSummary;
}

/** One variant: its settings and every run of it. */
export interface VariantRecord {
  name: string;
  description: string | null;
  matrix: Record<string, string | number | boolean>;
  /** Every expectation held in every run. */
  passed: boolean;
  settings: {
    timeoutMs: number;
    virtualHost: VirtualHostSpec | null;
    containers: Record<string, { workload: string; image: string; command: string[]; requested: MemorySettings }>;
  };
  /** container → outcome → how many runs ended so. */
  outcomes: Record<string, Partial<Record<Outcome, number>>>;
  runs: RunResult[];
}

/** run.json: the whole record of one `oomlab run`. */
export interface RunRecord {
  schemaVersion: typeof RUN_RECORD_SCHEMA_VERSION;
  scenario: string;
  description: string | null;
  /** Absolute path of the scenario file. */
  scenarioFile: string;
  runId: string;
  startedAt: string;
  finishedAt: string;
  engine: { name: string; version: string; cgroupDriver: string | null };
  host: HostInfo & { kernelLog: KernelLogSource; kernelLogProblem: string | null };
  /** Every expectation of every variant held. */
  passed: boolean;
  /** Set when the run was cut short (e.g. Ctrl-C); the variants hold what finished. */
  interrupted: string | null;
  variants: VariantRecord[];
}
