/** A process row from the report's `Tasks state (memory values in pages):` table. */
export interface OomCandidate {
  pid: number;
  /** The table has no uid column on some very old kernels, hence nullable like the rest. */
  uid: number | null;
  tgid: number | null;
  totalVmPages: number | null;
  rssPages: number | null;
  oomScoreAdj: number | null;
  name: string;
}

/** The task whose allocation made the kernel run the OOM killer; not necessarily the victim. */
export interface OomInvoker {
  comm: string;
  /** From the `CPU: … PID: n Comm: …` line that follows the header, when present. */
  pid: number | null;
  gfpMask: string | null;
  order: number | null;
  oomScoreAdj: number | null;
}

/** What the oom_reaper thread reported after tearing down the victim's memory. */
export interface OomReaped {
  anonRssKb: number | null;
}

/** One OOM kill, as the kernel reported it. */
export interface KernelOomReport {
  victimPid: number;
  victimComm: string;
  /** From the Killed process line; on old kernels whose line lacks it, from the victim's task-table row. */
  oomScoreAdj: number | null;
  anonRssKb: number | null;
  fileRssKb: number | null;
  shmemRssKb: number | null;
  totalVmKb: number | null;
  /** e.g. 'CONSTRAINT_MEMCG', 'CONSTRAINT_NONE'; null when the oom-kill: line is missing (older kernels, truncated logs). */
  constraint: string | null;
  /** 'Memory cgroup out of memory' rather than 'Out of memory'. */
  memcgOom: boolean;
  /** The cgroup whose limit was hit; null for global OOMs. */
  oomMemcg: string | null;
  /** The victim's cgroup. */
  taskMemcg: string | null;
  /** The cgroup named by `Memory cgroup stats for …:`, i.e. the one whose counters were dumped. */
  statsMemcg: string | null;
  invokedBy: OomInvoker | null;
  /** From `memory: usage …kB, limit …kB`: the OOMing memcg's charge and limit. */
  memcgUsageKb: number | null;
  memcgLimitKb: number | null;
  candidates: OomCandidate[];
  /** Monotonic microseconds since boot of the Killed process line, when the log format carries it. */
  kernelTimeUs: number | null;
  /** Wall-clock text of the Killed process line as the log printed it (dmesg -T, journalctl, syslog). */
  wallTime: string | null;
  /** /dev/kmsg sequence number of the Killed process line. */
  sequence: number | null;
  /** Hostname from journalctl/syslog lines, so merged logs of several machines keep their reports apart. */
  host: string | null;
  /** Filled when an oom_reaper line for the victim follows (whole-log parsing, or the assembler's onReaped). */
  reaped: OomReaped | null;
  /** The report's message lines without log prefixes, header to Killed process, plus the reaper line if attached. */
  rawLines: string[];
}
