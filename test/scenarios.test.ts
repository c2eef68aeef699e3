import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { container, killedPidInReport, readRecord, runCli, runRecorded, tempDir } from './support/cli.ts';
import { oomlabContainers, requireDocker } from './support/docker.ts';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const docker = await requireDocker();

describe.runIf(docker.available)('shipped scenarios on real Docker', () => {
  beforeAll(async () => {
    expect(await oomlabContainers()).toEqual([]);
  });
  afterAll(async () => {
    expect(await oomlabContainers()).toEqual([]);
    // runc makes the stand-in host's cgroup in every hierarchy; none may be left in any of them.
    const hierarchies = readdirSync('/sys/fs/cgroup');
    const left = hierarchies.flatMap((h) => (existsSync(`/sys/fs/cgroup/${h}/oomlab`) ? readdirSync(`/sys/fs/cgroup/${h}/oomlab`).filter((n) => n.startsWith('vh-')).map((n) => `${h}/${n}`) : []));
    expect(left).toEqual([]);
  });

  it('oom-basics: 64m and 128m are killed by the kernel, 512m survives', async () => {
    const out = tempDir();
    const result = await runCli(['run', 'oom-basics', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const record = readRecord(out);
    expect(record.passed).toBe(true);
    for (const variant of ['limit-64m', 'limit-128m']) {
      const hog = container(record, variant, 'hog');
      expect(hog.outcome).toBe('oom-killed');
      expect(hog.scope).toBe('container');
      expect(hog.decidedBy).toBe('kernel-log');
      expect(hog.kills).toHaveLength(1);
      const [kill] = hog.kills;
      expect(kill!.pid).toBe(hog.mainPid);
      expect(killedPidInReport(kill!.report)).toBe(kill!.pid);
      expect(kill!.comm).toBe('hog');
      expect(kill!.cgroup).toContain(hog.id!);
      expect(kill!.oomCgroup).toBe(kill!.cgroup);
      expect(kill!.kernelTime).not.toBeNull();
      expect(hog.exitCode).toBe(137);
      expect(hog.effective.memory).toBe(hog.requested.memory);
      expect(hog.differences).toEqual([]);
    }
    const big = container(record, 'limit-512m', 'hog');
    expect(big.outcome).toBe('survived');
    expect(big.kills).toEqual([]);
    expect(big.exitCode).toBe(0);
    // The record is complete on disk: events and samples were appended as they happened.
    const events = readFileSync(join(out, 'events.ndjson'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(events.filter((e) => e.kind === 'kernel-oom-kill')).toHaveLength(2);
    expect(existsSync(join(out, 'samples.ndjson'))).toBe(true);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('oom-basics');
  });

  it('oom-score-adj: the stand-in host kills db by default, and app once app has oom_score_adj 500', async () => {
    const { record } = await runRecorded(['oom-score-adj']);
    const dbDefault = container(record, 'default-adj', 'db');
    expect(dbDefault.outcome).toBe('oom-killed');
    expect(dbDefault.scope).toBe('parent');
    expect(dbDefault.kills[0]!.pid).toBe(dbDefault.mainPid);
    expect(killedPidInReport(dbDefault.kills[0]!.report)).toBe(dbDefault.mainPid);
    expect(dbDefault.kills[0]!.oomCgroup).toMatch(/^\/oomlab\/vh-/);
    expect(container(record, 'default-adj', 'app').outcome).toBe('survived');

    const app = container(record, 'app-adj-500', 'app');
    expect(app.outcome).toBe('oom-killed');
    expect(app.scope).toBe('parent');
    expect(app.kills[0]!.oomScoreAdj).toBe(500);
    expect(app.effective.oomScoreAdj).toBe(500);
    expect(killedPidInReport(app.kills[0]!.report)).toBe(app.mainPid);
    expect(container(record, 'app-adj-500', 'db').outcome).toBe('survived');
    expect(existsSync(`/sys/fs/cgroup/memory${dbDefault.kills[0]!.oomCgroup}`)).toBe(false);
  });

  it('child-victim: the kernel kills the child, the container exits 0', async () => {
    const { record, out } = await runRecorded(['child-victim']);
    const shell = container(readRecord(out), 'default', 'shell');
    expect(shell.outcome).toBe('child-oom-killed');
    expect(shell.exitCode).toBe(0);
    expect(shell.oomKilled).toBe(true);
    expect(shell.kills).toHaveLength(1);
    expect(shell.kills[0]!.pid).not.toBe(shell.mainPid);
    expect(shell.kills[0]!.comm).toBe('hog');
    expect(killedPidInReport(shell.kills[0]!.report)).toBe(shell.kills[0]!.pid);
  });

  it('oom-kill-disable: cgroup v1 hangs under_oom, which is recorded and cleaned up', async () => {
    const { record } = await runRecorded(['oom-kill-disable']);
    const hog = container(record, 'default', 'hog');
    if (record.host.cgroupVersion === 1) {
      expect(hog.outcome).toBe('oom-hung');
      expect(hog.effective.oomKillDisable).toBe(true);
      expect(hog.kills).toEqual([]);
    } else {
      expect(hog.differences.map((d: { key: string }) => d.key)).toContain('oomKillDisable');
    }
    expect(await oomlabContainers(`oomlab.run=${record.runId}`)).toEqual([]);
  });
});
