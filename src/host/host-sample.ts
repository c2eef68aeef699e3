import { parseKeyValues } from '../cgroup/memory-files.ts';
import { parseMeminfo } from './host-facts.ts';

/** One reading of the host's memory state (host.ndjson). Bytes and counters; null where the host lacks the file. */
export interface HostSample {
  at: string;
  memAvailableBytes: number | null;
  memFreeBytes: number | null;
  commitLimitBytes: number | null;
  committedAsBytes: number | null;
  swapTotalBytes: number | null;
  swapFreeBytes: number | null;
  /** /proc/vmstat counters since boot. */
  oomKill: number | null;
  pgscan: number | null;
  pgsteal: number | null;
  allocstall: number | null;
  /** /proc/pressure/memory "some" avg10 (%), where PSI is enabled. */
  pressureSomeAvg10: number | null;
  pressureFullAvg10: number | null;
}

function sumPrefixed(values: Record<string, number>, prefix: string): number | null {
  const keys = Object.keys(values).filter((key) => key.startsWith(prefix));
  return keys.length === 0 ? null : keys.reduce((sum, key) => sum + values[key]!, 0);
}

function pressureAvg10(text: string | undefined, line: 'some' | 'full'): number | null {
  const match = new RegExp(`^${line} avg10=([0-9.]+)`, 'm').exec(text ?? '');
  return match ? Number(match[1]) : null;
}

export function mapHostSample(at: string, meminfo: string, vmstat: string, pressure: string | undefined): HostSample {
  const mem = parseMeminfo(meminfo);
  const vm = parseKeyValues(vmstat);
  return {
    at,
    memAvailableBytes: mem.MemAvailable ?? null,
    memFreeBytes: mem.MemFree ?? null,
    commitLimitBytes: mem.CommitLimit ?? null,
    committedAsBytes: mem.Committed_AS ?? null,
    swapTotalBytes: mem.SwapTotal ?? null,
    swapFreeBytes: mem.SwapFree ?? null,
    oomKill: vm.oom_kill ?? null,
    pgscan: sumPrefixed(vm, 'pgscan_'),
    pgsteal: sumPrefixed(vm, 'pgsteal_'),
    allocstall: sumPrefixed(vm, 'allocstall_'),
    pressureSomeAvg10: pressureAvg10(pressure, 'some'),
    pressureFullAvg10: pressureAvg10(pressure, 'full'),
  };
}

/** The zones' free-page watermarks from /proc/zoneinfo, summed, in bytes: what vm.min_free_kbytes moves. */
export function parseWatermarks(zoneinfo: string, pageSize = 4096): { minBytes: number; lowBytes: number; highBytes: number } {
  let min = 0;
  let low = 0;
  let high = 0;
  for (const line of zoneinfo.split('\n')) {
    const match = /^\s+(min|low|high)\s+(\d+)$/.exec(line);
    if (!match) continue;
    const pages = Number(match[2]);
    if (match[1] === 'min') min += pages;
    else if (match[1] === 'low') low += pages;
    else high += pages;
  }
  return { minBytes: min * pageSize, lowBytes: low * pageSize, highBytes: high * pageSize };
}

/** What the host went through during one run, from its samples. Pure. */
export interface HostRunSummary {
  samples: number;
  commitLimitBytes: number | null;
  committedAsStartBytes: number | null;
  committedAsMaxBytes: number | null;
  memAvailableMinBytes: number | null;
  memFreeMinBytes: number | null;
  swapUsedMaxBytes: number | null;
  /** Counter increases during the run. */
  oomKills: number | null;
  pgscan: number | null;
  pgsteal: number | null;
  allocstall: number | null;
  pressureSomeMaxAvg10: number | null;
  watermarks: { minBytes: number; lowBytes: number; highBytes: number } | null;
}

function extreme(values: Array<number | null>, pick: (a: number, b: number) => number): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : present.reduce((a, b) => pick(a, b));
}

function delta(samples: HostSample[], key: 'oomKill' | 'pgscan' | 'pgsteal' | 'allocstall'): number | null {
  const first = samples[0]?.[key];
  const last = samples.at(-1)?.[key];
  return first === null || first === undefined || last === null || last === undefined ? null : last - first;
}

export function summarizeHostSamples(samples: HostSample[], watermarks: HostRunSummary['watermarks']): HostRunSummary {
  return {
    samples: samples.length,
    commitLimitBytes: samples[0]?.commitLimitBytes ?? null,
    committedAsStartBytes: samples[0]?.committedAsBytes ?? null,
    committedAsMaxBytes: extreme(samples.map((s) => s.committedAsBytes), Math.max),
    memAvailableMinBytes: extreme(samples.map((s) => s.memAvailableBytes), Math.min),
    memFreeMinBytes: extreme(samples.map((s) => s.memFreeBytes), Math.min),
    swapUsedMaxBytes: extreme(samples.map((s) => (s.swapTotalBytes === null || s.swapFreeBytes === null ? null : s.swapTotalBytes - s.swapFreeBytes)), Math.max),
    oomKills: delta(samples, 'oomKill'),
    pgscan: delta(samples, 'pgscan'),
    pgsteal: delta(samples, 'pgsteal'),
    allocstall: delta(samples, 'allocstall'),
    pressureSomeMaxAvg10: extreme(samples.map((s) => s.pressureSomeAvg10), Math.max),
    watermarks,
  };
}
