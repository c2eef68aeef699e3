import type { MemorySettings } from '../plan/plan.ts';
import type { CgroupLocation } from './cgroup-path.ts';

/** Raw contents of cgroup files, keyed by file name; a missing file is absent. */
export type CgroupFiles = Record<string, string>;

/** cgroup v1 prints "no limit" as the largest page-aligned 64-bit value; v2 prints "max". */
const V1_UNLIMITED = 9_000_000_000_000_000_000n;

function limitValue(text: string | undefined): number | null | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed === 'max') return null;
  const value = BigInt(trimmed);
  return value >= V1_UNLIMITED ? null : Number(value);
}

function intValue(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number.parseInt(text.trim(), 10);
  return Number.isNaN(value) ? undefined : value;
}

/** Parses `key value` lines (memory.stat, memory.oom_control, memory.events). */
export function parseKeyValues(text: string | undefined): Record<string, number> {
  const values: Record<string, number> = {};
  for (const line of (text ?? '').split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^-?\d+$/.test(value)) values[key] = Number(value);
  }
  return values;
}

/** Files that say which settings are in force, per cgroup version: [directory kind, file]. */
export function settingFiles(version: 1 | 2): Array<['memory' | 'pids' | 'cpu', string]> {
  return version === 1
    ? [
        ['memory', 'memory.limit_in_bytes'],
        ['memory', 'memory.memsw.limit_in_bytes'],
        ['memory', 'memory.soft_limit_in_bytes'],
        ['memory', 'memory.kmem.limit_in_bytes'],
        ['memory', 'memory.swappiness'],
        ['memory', 'memory.oom_control'],
        ['pids', 'pids.max'],
        ['cpu', 'cpu.cfs_quota_us'],
        ['cpu', 'cpu.cfs_period_us'],
      ]
    : [
        ['memory', 'memory.max'],
        ['memory', 'memory.swap.max'],
        ['memory', 'memory.low'],
        ['memory', 'memory.oom.group'],
        ['pids', 'pids.max'],
        ['cpu', 'cpu.max'],
      ];
}

export function settingDir(location: CgroupLocation, kind: 'memory' | 'pids' | 'cpu'): string | null {
  return kind === 'memory' ? location.memoryDir : kind === 'pids' ? location.pidsDir : location.cpuDir;
}

/**
 * The settings the kernel enforces, from the cgroup's files. A setting the host cannot represent
 * (memorySwappiness or oomKillDisable on v2, kernelMemory without kmem files) is left out.
 */
export function mapEffectiveSettings(version: 1 | 2, files: CgroupFiles, oomScoreAdj: number | null): MemorySettings {
  const settings: MemorySettings = {};
  const put = <K extends keyof MemorySettings>(key: K, value: MemorySettings[K] | null | undefined) => {
    if (value !== undefined && value !== null) settings[key] = value;
  };
  if (version === 1) {
    const memory = limitValue(files['memory.limit_in_bytes']);
    put('memory', memory);
    const memsw = limitValue(files['memory.memsw.limit_in_bytes']);
    if (memsw !== undefined) put('memorySwap', memsw === null ? (memory === null || memory === undefined ? undefined : -1) : memsw);
    put('memoryReservation', limitValue(files['memory.soft_limit_in_bytes']));
    put('kernelMemory', limitValue(files['memory.kmem.limit_in_bytes']));
    put('memorySwappiness', intValue(files['memory.swappiness']));
    const oomControl = files['memory.oom_control'];
    if (oomControl !== undefined) put('oomKillDisable', parseKeyValues(oomControl).oom_kill_disable === 1);
    const quota = intValue(files['cpu.cfs_quota_us']);
    const period = intValue(files['cpu.cfs_period_us']);
    if (quota !== undefined && period && quota > 0) put('cpus', Math.round((quota / period) * 1000) / 1000);
  } else {
    const memory = limitValue(files['memory.max']);
    put('memory', memory);
    const swap = limitValue(files['memory.swap.max']);
    if (swap !== undefined && memory !== null && memory !== undefined) put('memorySwap', swap === null ? -1 : memory + swap);
    const low = limitValue(files['memory.low']);
    if (low) put('memoryReservation', low);
    const cpuMax = files['cpu.max']?.trim().split(/\s+/);
    if (cpuMax && cpuMax[0] !== 'max' && cpuMax[1]) put('cpus', Math.round((Number(cpuMax[0]) / Number(cpuMax[1])) * 1000) / 1000);
  }
  const pids = files['pids.max']?.trim();
  if (pids !== undefined && pids !== 'max') put('pidsLimit', Number(pids));
  put('oomScoreAdj', oomScoreAdj);
  return settings;
}

/** One reading of a container's memory. Bytes; null where the host has no such file. */
export interface MemorySample {
  usageBytes: number | null;
  limitBytes: number | null;
  swapBytes: number | null;
  rssBytes: number | null;
  cacheBytes: number | null;
  /** The cgroup's own high-water mark (v1 max_usage_in_bytes, v2 memory.peak), where kept. */
  peakBytes: number | null;
  failcnt: number | null;
  /** The kernel's count of OOM kills in this cgroup (v1 oom_control oom_kill, v2 memory.events oom_kill). */
  oomKillCount: number | null;
  underOom: boolean | null;
}

export function sampleFiles(version: 1 | 2): string[] {
  return version === 1
    ? ['memory.usage_in_bytes', 'memory.max_usage_in_bytes', 'memory.limit_in_bytes', 'memory.failcnt', 'memory.memsw.usage_in_bytes', 'memory.stat', 'memory.oom_control']
    : ['memory.current', 'memory.peak', 'memory.max', 'memory.swap.current', 'memory.stat', 'memory.events'];
}

export function mapMemorySample(version: 1 | 2, files: CgroupFiles): MemorySample {
  const num = (text: string | undefined) => (text === undefined ? null : (intValue(text) ?? null));
  const stat = parseKeyValues(files['memory.stat']);
  if (version === 1) {
    const oomControl = files['memory.oom_control'] === undefined ? null : parseKeyValues(files['memory.oom_control']);
    const usage = num(files['memory.usage_in_bytes']);
    const memsw = num(files['memory.memsw.usage_in_bytes']);
    return {
      usageBytes: usage,
      limitBytes: limitValue(files['memory.limit_in_bytes']) ?? null,
      swapBytes: stat.total_swap ?? stat.swap ?? (memsw !== null && usage !== null ? Math.max(0, memsw - usage) : null),
      rssBytes: stat.total_rss ?? stat.rss ?? null,
      cacheBytes: stat.total_cache ?? stat.cache ?? null,
      peakBytes: num(files['memory.max_usage_in_bytes']),
      failcnt: num(files['memory.failcnt']),
      oomKillCount: oomControl?.oom_kill ?? null,
      underOom: oomControl ? oomControl.under_oom === 1 : null,
    };
  }
  const events = files['memory.events'] === undefined ? null : parseKeyValues(files['memory.events']);
  return {
    usageBytes: num(files['memory.current']),
    limitBytes: limitValue(files['memory.max']) ?? null,
    swapBytes: num(files['memory.swap.current']),
    rssBytes: stat.anon ?? null,
    cacheBytes: stat.file ?? null,
    peakBytes: num(files['memory.peak']),
    failcnt: events?.max ?? null,
    oomKillCount: events?.oom_kill ?? null,
    // v2 has no under_oom flag: the kill cannot be disabled there.
    underOom: null,
  };
}
