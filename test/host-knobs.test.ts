import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { container, readRecord, runCli, runRecorded, startCli, tempDir } from './support/cli.ts';
import { oomlabContainers, requireDocker } from './support/docker.ts';

const docker = await requireDocker();
const sysctl = (name: string) => readFileSync(`/proc/sys/vm/${name}`, 'utf8').trim();
const overcommitNow = () => ({ memory: sysctl('overcommit_memory'), ratio: sysctl('overcommit_ratio') });

describe.runIf(docker.available)('host sysctls', () => {
  it('refuses host sysctls without --allow-host-sysctl, and starts nothing', async () => {
    const out = tempDir();
    const result = await runCli(['run', 'overcommit-2', '--out', `${out}/x`], { OOMLAB_ALLOW_HOST_SYSCTL: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--allow-host-sysctl/);
    expect(existsSync(`${out}/x`)).toBe(false);
  });

  it('overcommit-2: mode 0 and 2/80 pass the malloc and are killed on touch, 2/50 fails the malloc; the host is restored', async () => {
    const before = overcommitNow();
    const { record } = await runRecorded(['overcommit-2', '--allow-host-sysctl']);
    expect(overcommitNow()).toEqual(before);
    for (const variant of ['mode-0', 'mode-2-ratio-80']) {
      const hog = container(record, variant, 'hog');
      expect(hog.outcome).toBe('oom-killed');
      expect(hog.scope).toBe('parent');
      expect(hog.kills[0]!.pid).toBe(hog.mainPid);
      // The single large malloc succeeded before the touching began.
      expect(hog.workloadReport?.events).toContain('allocated');
      expect(hog.workloadReport?.allocatedBytes).toBeGreaterThan(10 * 1024 ** 3);
    }
    const strict = container(record, 'mode-2-ratio-50', 'hog');
    expect(strict.outcome).toBe('alloc-failed');
    expect(strict.kills).toEqual([]);
    expect(strict.exitCode).toBe(12);
    expect(strict.workloadReport?.events).not.toContain('allocated');
    const runs = Object.fromEntries(record.variants.map((v) => [v.name, v.runs[0]!.host]));
    expect(runs['mode-2-ratio-50']!.sysctls['vm.overcommit_memory']).toEqual({ before: before.memory, during: '2', after: before.memory });
    expect(runs['mode-2-ratio-80']!.sysctls['vm.overcommit_ratio']).toEqual({ before: before.ratio, during: '80', after: before.ratio });
    // The record shows why: the ratio-80 CommitLimit leaves room for the block, the ratio-50 one does not.
    expect(runs['mode-2-ratio-80']!.summary.commitLimitBytes!).toBeGreaterThan(runs['mode-2-ratio-50']!.summary.commitLimitBytes!);
    expect(runs['mode-2-ratio-50']!.summary.committedAsStartBytes).not.toBeNull();
  });

  it('a run killed with -9 at overcommit 2 leaves a journal, and the next oomlab command restores the host', async () => {
    const before = overcommitNow();
    const out = tempDir();
    const { child, done } = startCli(['run', 'overcommit-2', '--allow-host-sysctl', '--variant', 'mode-2-ratio-80', '--out', out]);
    const deadline = Date.now() + 30_000;
    while (sysctl('overcommit_memory') !== '2') {
      if (Date.now() > deadline) throw new Error('the run never set vm.overcommit_memory=2');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.kill('SIGKILL');
    await done;
    expect(sysctl('overcommit_memory')).toBe('2');
    expect(existsSync('/var/lib/oomlab/host-journal.json')).toBe(true);

    const next = await runCli(['list']);
    expect(next.code).toBe(0);
    expect(next.stderr).toMatch(/restored host changes left by pid \d+: .*vm\.overcommit_memory = 0 \(was 2\)/);
    expect(overcommitNow()).toEqual(before);
    expect(existsSync('/var/lib/oomlab/host-journal.json')).toBe(false);

    const restore = await runCli(['restore']);
    expect(restore.code).toBe(0);
    expect(await oomlabContainers('oomlab.scenario=overcommit-2')).toEqual([]);
    expect(existsSync('/sys/fs/cgroup/memory/oomlab') ? readdirSync('/sys/fs/cgroup/memory/oomlab').filter((n) => n.startsWith('vh-')) : []).toEqual([]);
  });
});

const swapsOn = () => readFileSync('/proc/swaps', 'utf8').trim().split('\n').slice(1);

describe.runIf(docker.available)('swap, the stand-in host and the other host stories', () => {
  it('swappiness: with a swap file on, memorySwappiness 0 is killed at its limit and 60/100 swap and survive; the swap file goes', async () => {
    const { record } = await runRecorded(['swappiness']);
    const zero = container(record, 'swappiness-0', 'hog');
    expect(zero.outcome).toBe('oom-killed');
    expect(zero.kills[0]!.pid).toBe(zero.mainPid);
    expect(zero.effective.memorySwappiness).toBe(0);
    for (const variant of ['swappiness-60', 'swappiness-100']) {
      const hog = container(record, variant, 'hog');
      expect(hog.outcome).toBe('survived');
      expect(hog.peakSwapBytes).toBeGreaterThan(100 * 1024 ** 2);
      expect(record.variants.find((v) => v.name === variant)!.runs[0]!.host.swap).toEqual({ requestedBytes: 1024 ** 3, enabled: true, error: null });
    }
    expect(swapsOn()).toEqual([]);
  });

  it('a refused swapon ends the variant as error with the reason, and leaves nothing behind', async () => {
    const out = tempDir();
    // swapon refuses files on tmpfs, as it would on a host that forbids swap.
    const stateDir = '/dev/shm/oomlab-refusal-test';
    const result = await runCli(['run', 'swappiness', '--variant', 'swappiness-60', '--out', out], { OOMLAB_STATE_DIR: stateDir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/host refused a change: swapon .* refused/);
    const hog = container(readRecord(out), 'swappiness-60', 'hog');
    expect(hog.outcome).toBe('error');
    expect(hog.reason).toMatch(/swapon .* refused/);
    expect(swapsOn()).toEqual([]);
    expect(existsSync(stateDir) ? readdirSync(stateDir) : []).toEqual([]);
  });

  it('oom-score-adj-host: the victim follows oom_score_adj across the sweep, each kill matching the kernel report', async () => {
    const { record } = await runRecorded(['oom-score-adj-host']);
    expect(record.variants).toHaveLength(4);
    // The host's first victim, by the kernel's own timestamps.
    const firstVictims = Object.fromEntries(
      record.variants.map((variant) => {
        const killed = variant.runs[0]!.containers.filter((c) => c.outcome === 'oom-killed');
        for (const c of killed) {
          expect(c.scope).toBe('parent');
          expect(c.kills[0]!.pid).toBe(c.mainPid);
        }
        const first = killed.sort((a, b) => a.kills[0]!.kernelTime!.localeCompare(b.kills[0]!.kernelTime!))[0];
        return [variant.name, first?.name];
      }),
    );
    expect(firstVictims).toEqual({
      'app.oomScoreAdj=0,cache.oomScoreAdj=0': 'db',
      'app.oomScoreAdj=0,cache.oomScoreAdj=1000': 'cache',
      'app.oomScoreAdj=500,cache.oomScoreAdj=0': 'app',
      'app.oomScoreAdj=500,cache.oomScoreAdj=1000': 'cache',
    });
  });

  it('min-free-kbytes: the reserve moves the watermarks, reclaim is recorded, and the sysctl is restored', async () => {
    const before = sysctl('min_free_kbytes');
    const { record } = await runRecorded(['min-free-kbytes', '--allow-host-sysctl']);
    expect(sysctl('min_free_kbytes')).toBe(before);
    const [plain, reserve] = ['default', 'reserve-5pct'].map((name) => record.variants.find((v) => v.name === name)!.runs[0]!.host);
    expect(reserve!.sysctls['vm.min_free_kbytes']!.during).toBe(String(Math.floor((record.host.memTotalBytes * 0.05) / 1024)));
    expect(reserve!.summary.watermarks!.minBytes).toBeGreaterThan(plain!.summary.watermarks!.minBytes * 10);
    expect(plain!.summary.memFreeMinBytes).not.toBeNull();
    expect(plain!.summary.pgscan).not.toBeNull();
  });

  it('doctor reports what this host can and cannot do', async () => {
    const result = await runCli(['doctor']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/container engine\s+docker/);
    expect(result.stdout).toMatch(/kernel log/);
    expect(result.stdout).toMatch(/CAP_SYS_RESOURCE/);
  });
});
