import { describe, expect, it } from 'vitest';
import { hostCgroupWrites } from './host-cgroup-writes.ts';

const MiB = 1024 ** 2;

describe('hostCgroupWrites', () => {
  it('maps Docker flags onto cgroup v1 files, memory before memory+swap', () => {
    const { writes, discarded } = hostCgroupWrites(1, { memory: 64 * MiB, memorySwap: 128 * MiB, memoryReservation: 32 * MiB, memorySwappiness: 0, oomKillDisable: true, pidsLimit: 100, cpus: 0.5 });
    expect(writes.map((w) => `${w.controller}/${w.file}=${w.value}`)).toEqual([
      `memory/memory.limit_in_bytes=${64 * MiB}`,
      `memory/memory.memsw.limit_in_bytes=${128 * MiB}`,
      `memory/memory.soft_limit_in_bytes=${32 * MiB}`,
      'memory/memory.swappiness=0',
      'memory/memory.oom_control=1',
      'pids/pids.max=100',
      'cpu/cpu.cfs_period_us=100000',
      'cpu/cpu.cfs_quota_us=50000',
    ]);
    expect(discarded).toEqual([]);
  });

  it('maps them onto cgroup v2 files, and names what v2 cannot do', () => {
    const { writes, discarded } = hostCgroupWrites(2, { memory: 64 * MiB, memorySwap: 128 * MiB, memoryReservation: 32 * MiB, memorySwappiness: 0, oomKillDisable: true, kernelMemory: MiB, pidsLimit: 100, cpus: 1.5 });
    expect(writes.map((w) => `${w.controller}/${w.file}=${w.value}`)).toEqual([
      `memory/memory.max=${64 * MiB}`,
      `memory/memory.swap.max=${64 * MiB}`,
      `memory/memory.low=${32 * MiB}`,
      'memory/memory.oom.group=0',
      'pids/pids.max=100',
      'cpu/cpu.max=150000 100000',
    ]);
    expect(discarded.map((d) => d.key)).toEqual(['kernelMemory', 'memorySwappiness', 'oomKillDisable']);
  });

  it('writes unlimited swap as -1 on v1 and max on v2', () => {
    expect(hostCgroupWrites(1, { memory: MiB * 64, memorySwap: -1 }).writes[1]!.value).toBe('-1');
    expect(hostCgroupWrites(2, { memory: MiB * 64, memorySwap: -1 }).writes[1]!.value).toBe('max');
  });
});
