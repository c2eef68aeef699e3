import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { container, killedPidInReport, runRecorded } from './support/cli.ts';

// The host engine needs root and a memory cgroup, as this lab has; it needs no Docker.
const hostEngineAvailable = process.getuid?.() === 0 && existsSync('/sys/fs/cgroup/memory/memory.limit_in_bytes');
if (!hostEngineAvailable && process.env.CI) throw new Error('CI=true, but the host engine needs root and a cgroup v1 memory controller');
if (!hostEngineAvailable) console.warn('skipping host engine tests: they need root and /sys/fs/cgroup/memory');

const leftovers = () => ['memory', 'pids', 'cpu'].flatMap((c) => (existsSync(`/sys/fs/cgroup/${c}/oomlab-host`) ? readdirSync(`/sys/fs/cgroup/${c}/oomlab-host`).filter((n) => n.startsWith('h')) : []));

describe.runIf(hostEngineAvailable)('the host engine: plain processes in cgroups the harness makes', () => {
  it('oom-basics meets its expectations, with the kernel record for each kill', async () => {
    const { record } = await runRecorded(['oom-basics', '--engine', 'host']);
    expect(record.engine.name).toBe('host');
    for (const variant of ['limit-64m', 'limit-128m']) {
      const hog = container(record, variant, 'hog');
      expect(hog.outcome).toBe('oom-killed');
      expect(hog.kills[0]!.pid).toBe(hog.mainPid);
      expect(killedPidInReport(hog.kills[0]!.report)).toBe(hog.mainPid);
      expect(hog.kills[0]!.cgroup).toMatch(/^\/oomlab-host\/h\d+-[0-9a-f]{64}$/);
      expect(hog.effective.memory).toBe(hog.requested.memory);
    }
    expect(container(record, 'limit-512m', 'hog').outcome).toBe('survived');
    expect(leftovers()).toEqual([]);
  });

  it('oom-score-adj: the stand-in host picks db by default and app at 500', async () => {
    const { record } = await runRecorded(['oom-score-adj', '--engine', 'host']);
    expect(container(record, 'default-adj', 'db')).toMatchObject({ outcome: 'oom-killed', scope: 'parent' });
    expect(container(record, 'app-adj-500', 'app').kills[0]!.oomScoreAdj).toBe(500);
    expect(container(record, 'app-adj-500', 'app').effective.oomScoreAdj).toBe(500);
    expect(container(record, 'app-adj-500', 'db').outcome).toBe('survived');
    expect(leftovers()).toEqual([]);
  });

  it('child-victim: the child is killed and the shell exits 0', async () => {
    const { record } = await runRecorded(['child-victim', '--engine', 'host']);
    const shell = container(record, 'default', 'shell');
    expect(shell.outcome).toBe('child-oom-killed');
    expect(shell.exitCode).toBe(0);
    expect(shell.kills[0]!.pid).not.toBe(shell.mainPid);
  });

  it('engine auto falls back to the host engine when no Docker engine answers', async () => {
    const { record } = await runRecorded(['child-victim'], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(record.engine.name).toBe('host');
    expect(record.passed).toBe(true);
  });
});
