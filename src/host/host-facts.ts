import { readFileSync, existsSync, accessSync, constants, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import type { CgroupMounts } from '../cgroup/cgroup-path.ts';
import { readSysctl, SETTABLE_SYSCTLS } from './host-knobs.ts';

/** CAP_SYS_RESOURCE is bit 24 of the capability sets; without it oom_score_adj can only go up. */
const CAP_SYS_RESOURCE_BIT = 24n;

export function hasCapability(statusText: string, bit: bigint): boolean {
  const match = /^CapEff:\s*([0-9a-f]+)$/m.exec(statusText);
  return match ? ((BigInt(`0x${match[1]}`) >> bit) & 1n) === 1n : false;
}

export function parseMeminfo(text: string): Record<string, number> {
  const values: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^(\w+(?:\(\w+\))?):\s+(\d+)(?:\s+kB)?$/.exec(line.trim());
    if (match) values[match[1]!] = Number(match[2]) * (line.includes('kB') ? 1024 : 1);
  }
  return values;
}

/** The host-wide sysctls that shape OOM behaviour, recorded with every run. */
export const RECORDED_SYSCTLS = [...SETTABLE_SYSCTLS, 'vm.panic_on_oom'] as const;

/** Facts about the machine, as run.json's `host` section carries them. */
export interface HostInfo {
  kernel: string;
  cgroupVersion: 1 | 2;
  memTotalBytes: number;
  swapTotalBytes: number;
  memAvailableBytes: number;
  sysctls: Record<string, string>;
  /** Whether memory+swap limits can be enforced (v1 memsw files). */
  swapAccounting: boolean;
  /** CAP_SYS_RESOURCE: needed to lower oom_score_adj below its current value. */
  canLowerOomScoreAdj: boolean;
  kernelLogReadable: boolean;
  /** Whether vm.* sysctls can be written here (tested by writing a value back unchanged). */
  sysctlsWritable: boolean;
  /** The harness's own oom_score_adj: -1000 where it could protect itself. */
  harnessOomScoreAdj: number | null;
}

/** Writes the current value back: proves write access without changing anything. */
function canWriteSysctls(): boolean {
  try {
    const path = '/proc/sys/vm/swappiness';
    writeFileSync(path, readFileSync(path, 'utf8').trim());
    return true;
  } catch {
    return false;
  }
}

function ownOomScoreAdj(): number | null {
  try {
    return Number(readFileSync('/proc/self/oom_score_adj', 'utf8').trim());
  } catch {
    return null;
  }
}

/**
 * Asks the kernel to never pick the harness as an OOM victim (-1000). Needs CAP_SYS_RESOURCE;
 * returns the value in force either way.
 */
export function protectHarness(): number | null {
  try {
    writeFileSync('/proc/self/oom_score_adj', '-1000');
  } catch {
    // Without CAP_SYS_RESOURCE the value cannot go down; the record shows what it is.
  }
  return ownOomScoreAdj();
}

export function readHostInfo(mounts: CgroupMounts): HostInfo {
  const meminfo = parseMeminfo(readFileSync('/proc/meminfo', 'utf8'));
  const sysctls: Record<string, string> = {};
  for (const name of RECORDED_SYSCTLS) {
    const value = readSysctl(name);
    if (value !== null) sysctls[name] = value;
  }
  let kernelLogReadable = true;
  try {
    accessSync('/dev/kmsg', constants.R_OK);
  } catch {
    kernelLogReadable = false;
  }
  const memoryRoot = mounts.version === 1 ? mounts.mounts.memory! : mounts.mounts['']!;
  return {
    kernel: release(),
    cgroupVersion: mounts.version,
    memTotalBytes: meminfo.MemTotal ?? 0,
    swapTotalBytes: meminfo.SwapTotal ?? 0,
    memAvailableBytes: meminfo.MemAvailable ?? 0,
    sysctls,
    swapAccounting: mounts.version === 1 ? existsSync(`${memoryRoot}/memory.memsw.limit_in_bytes`) : true,
    canLowerOomScoreAdj: hasCapability(readFileSync('/proc/self/status', 'utf8'), CAP_SYS_RESOURCE_BIT),
    kernelLogReadable,
    sysctlsWritable: canWriteSysctls(),
    harnessOomScoreAdj: ownOomScoreAdj(),
  };
}
