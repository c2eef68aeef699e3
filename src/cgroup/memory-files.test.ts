import { describe, expect, it } from 'vitest';
import { mapEffectiveSettings, mapMemorySample } from './memory-files.ts';

const MiB = 1024 ** 2;
const unlimitedV1 = '9223372036854771712\n';

describe('mapEffectiveSettings', () => {
  it('reads cgroup v1 files', () => {
    const settings = mapEffectiveSettings(
      1,
      {
        'memory.limit_in_bytes': `${64 * MiB}\n`,
        'memory.memsw.limit_in_bytes': `${64 * MiB}\n`,
        'memory.soft_limit_in_bytes': unlimitedV1,
        'memory.swappiness': '60\n',
        'memory.oom_control': 'oom_kill_disable 1\nunder_oom 0\noom_kill 0\n',
        'pids.max': 'max\n',
        'cpu.cfs_quota_us': '50000\n',
        'cpu.cfs_period_us': '100000\n',
      },
      500,
    );
    expect(settings).toEqual({ memory: 64 * MiB, memorySwap: 64 * MiB, memorySwappiness: 60, oomKillDisable: true, cpus: 0.5, oomScoreAdj: 500 });
  });

  it('leaves out kernelMemory when the kernel has no kmem files', () => {
    expect(mapEffectiveSettings(1, { 'memory.limit_in_bytes': unlimitedV1 }, 0)).toEqual({ oomScoreAdj: 0 });
  });

  it('reads cgroup v2 files, where swappiness and oom-kill-disable do not exist', () => {
    const settings = mapEffectiveSettings(
      2,
      { 'memory.max': `${128 * MiB}\n`, 'memory.swap.max': `${128 * MiB}\n`, 'memory.low': `${32 * MiB}\n`, 'pids.max': '100\n', 'cpu.max': 'max 100000\n' },
      0,
    );
    expect(settings).toEqual({ memory: 128 * MiB, memorySwap: 256 * MiB, memoryReservation: 32 * MiB, pidsLimit: 100, oomScoreAdj: 0 });
  });

  it('reads unlimited swap on v2 as -1', () => {
    expect(mapEffectiveSettings(2, { 'memory.max': `${MiB * 64}`, 'memory.swap.max': 'max' }, null)).toEqual({ memory: 64 * MiB, memorySwap: -1 });
  });
});

describe('mapMemorySample', () => {
  it('reads a v1 sample with the OOM counters', () => {
    const sample = mapMemorySample(1, {
      'memory.usage_in_bytes': `${60 * MiB}`,
      'memory.limit_in_bytes': `${64 * MiB}`,
      'memory.failcnt': '12',
      'memory.memsw.usage_in_bytes': `${60 * MiB}`,
      'memory.stat': 'cache 4096\nrss 1000\ntotal_cache 8192\ntotal_rss 62914560\ntotal_swap 0\n',
      'memory.oom_control': 'oom_kill_disable 1\nunder_oom 1\noom_kill 0\n',
    });
    expect(sample).toEqual({
      usageBytes: 60 * MiB,
      limitBytes: 64 * MiB,
      swapBytes: 0,
      rssBytes: 62914560,
      cacheBytes: 8192,
      peakBytes: null,
      failcnt: 12,
      oomKillCount: 0,
      underOom: true,
    });
  });

  it('reads a v2 sample', () => {
    const sample = mapMemorySample(2, {
      'memory.current': '1000',
      'memory.max': 'max',
      'memory.swap.current': '0',
      'memory.stat': 'anon 800\nfile 200\n',
      'memory.events': 'low 0\nhigh 0\nmax 7\noom 1\noom_kill 1\n',
    });
    expect(sample).toMatchObject({ usageBytes: 1000, limitBytes: null, rssBytes: 800, cacheBytes: 200, failcnt: 7, oomKillCount: 1, underOom: null });
  });
});
