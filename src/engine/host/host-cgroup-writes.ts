import type { MemorySettings } from '../../plan/plan.ts';

/** One file write that applies a Docker-named flag to a cgroup the harness made itself. */
export interface CgroupWrite {
  controller: 'memory' | 'pids' | 'cpu';
  file: string;
  value: string;
  /** The flag it applies, so a refused write shows as requested vs effective. */
  key: keyof MemorySettings;
}

/** A flag the host cannot express at all (e.g. oomKillDisable on cgroup v2). */
export interface DiscardedFlag {
  key: keyof MemorySettings;
  reason: string;
}

const CFS_PERIOD_US = 100_000;

/**
 * Docker's memory flags as cgroup file writes, in an order the kernel accepts (memory before memory+swap).
 * v1 names from Documentation/admin-guide/cgroup-v1/memory.rst, v2 from Documentation/admin-guide/cgroup-v2.rst. Pure.
 */
export function hostCgroupWrites(version: 1 | 2, requested: MemorySettings): { writes: CgroupWrite[]; discarded: DiscardedFlag[] } {
  const writes: CgroupWrite[] = [];
  const discarded: DiscardedFlag[] = [];
  const { memory, memorySwap, memoryReservation, kernelMemory, memorySwappiness, oomKillDisable, pidsLimit, cpus } = requested;
  if (version === 1) {
    if (memory !== undefined) writes.push({ controller: 'memory', file: 'memory.limit_in_bytes', value: String(memory), key: 'memory' });
    if (memorySwap !== undefined) writes.push({ controller: 'memory', file: 'memory.memsw.limit_in_bytes', value: String(memorySwap), key: 'memorySwap' });
    if (memoryReservation !== undefined) writes.push({ controller: 'memory', file: 'memory.soft_limit_in_bytes', value: String(memoryReservation), key: 'memoryReservation' });
    if (kernelMemory !== undefined) writes.push({ controller: 'memory', file: 'memory.kmem.limit_in_bytes', value: String(kernelMemory), key: 'kernelMemory' });
    if (memorySwappiness !== undefined) writes.push({ controller: 'memory', file: 'memory.swappiness', value: String(memorySwappiness), key: 'memorySwappiness' });
    if (oomKillDisable !== undefined) writes.push({ controller: 'memory', file: 'memory.oom_control', value: oomKillDisable ? '1' : '0', key: 'oomKillDisable' });
    if (pidsLimit !== undefined) writes.push({ controller: 'pids', file: 'pids.max', value: pidsLimit > 0 ? String(pidsLimit) : 'max', key: 'pidsLimit' });
    if (cpus !== undefined) {
      writes.push({ controller: 'cpu', file: 'cpu.cfs_period_us', value: String(CFS_PERIOD_US), key: 'cpus' });
      writes.push({ controller: 'cpu', file: 'cpu.cfs_quota_us', value: String(Math.round(cpus * CFS_PERIOD_US)), key: 'cpus' });
    }
    return { writes, discarded };
  }
  if (memory !== undefined) writes.push({ controller: 'memory', file: 'memory.max', value: String(memory), key: 'memory' });
  if (memorySwap !== undefined) {
    const swap = memorySwap === -1 ? 'max' : String(Math.max(0, memorySwap - (memory ?? 0)));
    writes.push({ controller: 'memory', file: 'memory.swap.max', value: swap, key: 'memorySwap' });
  }
  if (memoryReservation !== undefined) writes.push({ controller: 'memory', file: 'memory.low', value: String(memoryReservation), key: 'memoryReservation' });
  // One OOM kill takes the whole "container", as Docker's single-process mental model expects on v2.
  if (memory !== undefined) writes.push({ controller: 'memory', file: 'memory.oom.group', value: '0', key: 'memory' });
  if (kernelMemory !== undefined) discarded.push({ key: 'kernelMemory', reason: 'cgroup v2 has no separate kernel memory limit' });
  if (memorySwappiness !== undefined) discarded.push({ key: 'memorySwappiness', reason: 'cgroup v2 has no per-cgroup swappiness' });
  if (oomKillDisable) discarded.push({ key: 'oomKillDisable', reason: 'cgroup v2 cannot disable the OOM killer' });
  if (pidsLimit !== undefined) writes.push({ controller: 'pids', file: 'pids.max', value: pidsLimit > 0 ? String(pidsLimit) : 'max', key: 'pidsLimit' });
  if (cpus !== undefined) writes.push({ controller: 'cpu', file: 'cpu.max', value: `${Math.round(cpus * CFS_PERIOD_US)} ${CFS_PERIOD_US}`, key: 'cpus' });
  return { writes, discarded };
}
