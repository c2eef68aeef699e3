import { MEMORY_SETTING_KEYS, type MemorySettings } from '../plan/plan.ts';

/** A requested setting the kernel does not enforce as asked: discarded or changed by the host. */
export interface SettingDifference {
  key: keyof MemorySettings;
  requested: unknown;
  /** null when the host has no such setting at all. */
  effective: unknown;
  reason: string;
}

export interface HostFacts {
  cgroupVersion: 1 | 2;
  /** Whether memory+swap limits exist (v1 memsw files; v2 memory.swap.max). */
  swapAccounting: boolean;
  /** Whether the harness may lower oom_score_adj (needed for negative values). */
  canLowerOomScoreAdj: boolean;
}

const PAGE = 4096;
/** Keys compared against the cgroup files; cgroupParent and sysctls are structural, not readable limits. */
const COMPARED = MEMORY_SETTING_KEYS.filter((key) => key !== 'cgroupParent' && key !== 'sysctls');

function sameValue(key: keyof MemorySettings, requested: unknown, effective: unknown): boolean {
  if (typeof requested === 'number' && typeof effective === 'number') {
    if (requested === -1 || effective === -1) return requested === effective;
    // The kernel rounds byte limits down to whole pages.
    if (key === 'memory' || key === 'memorySwap' || key === 'memoryReservation' || key === 'kernelMemory') return Math.abs(requested - effective) < PAGE;
    if (key === 'cpus') return Math.abs(requested - effective) < 0.01;
  }
  return requested === effective;
}

function whyNotInEffect(key: keyof MemorySettings, requested: unknown, host: HostFacts): string {
  if (key === 'memorySwappiness' && host.cgroupVersion === 2) return 'cgroup v2 has no per-cgroup swappiness; the host discarded it';
  if (key === 'oomKillDisable' && host.cgroupVersion === 2) return 'cgroup v2 cannot disable the OOM killer; the host discarded it';
  if (key === 'memorySwap' && !host.swapAccounting) return 'the kernel has no swap accounting (no memsw/swap.max files); the swap limit was discarded';
  if (key === 'kernelMemory') return 'this kernel does not enforce kernel memory limits; the setting was discarded';
  if (key === 'oomScoreAdj' && typeof requested === 'number' && requested < 0 && !host.canLowerOomScoreAdj) {
    return 'a negative oom_score_adj needs CAP_SYS_RESOURCE, which this host lacks; the value was refused';
  }
  return 'the host enforces a different value than requested';
}

/** Every requested setting that is not in force as asked, with the reason. */
export function compareSettings(requested: MemorySettings, effective: MemorySettings, host: HostFacts): SettingDifference[] {
  const differences: SettingDifference[] = [];
  for (const key of COMPARED) {
    const wanted = requested[key];
    if (wanted === undefined) continue;
    const actual = effective[key];
    if (actual !== undefined && sameValue(key, wanted, actual)) continue;
    // An unset kernel value that equals "no limit" is what -1 asks for.
    if (actual === undefined && wanted === -1) continue;
    differences.push({ key, requested: wanted, effective: actual ?? null, reason: whyNotInEffect(key, wanted, host) });
  }
  return differences;
}
