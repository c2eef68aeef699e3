/**
 * What happened to one container in one run. Decided by `classifyContainer` from evidence,
 * never from an exit code alone.
 */
export const OUTCOMES = [
  'survived',
  'oom-killed',
  'child-oom-killed',
  'killed',
  'alloc-failed',
  'runtime-oom',
  'oom-hung',
  'exited',
  'timeout',
  'start-failed',
  'error',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Which cgroup's limit the kernel enforced when it killed. */
export const KILL_SCOPES = ['container', 'parent', 'global'] as const;
export type KillScope = (typeof KILL_SCOPES)[number];

export const OUTCOME_MEANINGS: Record<Outcome, string> = {
  survived: 'ran to the end and exited 0, with no OOM kill in its cgroup',
  'oom-killed': "the kernel's OOM killer killed the container's main process",
  'child-oom-killed': 'the kernel killed another process in the container; the main process lived on',
  killed: 'SIGKILL / exit 137 with no OOM evidence (no kernel kill record, no OOM counter change)',
  'alloc-failed': 'the workload reported that an allocation failed (ENOMEM) and exited cleanly',
  'runtime-oom': "the runtime's own limit was hit (a JVM OutOfMemoryError, with its kind), not the kernel's",
  'oom-hung': 'the OOM killer was disabled and the cgroup sat under_oom',
  exited: 'exited non-zero for a reason that is not about memory',
  timeout: 'still running when the timeout ran out',
  'start-failed': 'the container could not be created or started',
  error: 'the harness could not run or observe it',
};
