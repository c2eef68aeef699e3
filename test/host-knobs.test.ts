import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { container, readRecord, runCli, startCli, tempDir } from './support/cli.ts';
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
    const out = tempDir();
    const result = await runCli(['run', 'overcommit-2', '--allow-host-sysctl', '--out', out]);
    expect(result.code).toBe(0);
    expect(overcommitNow()).toEqual(before);
    const record = readRecord(out);
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
