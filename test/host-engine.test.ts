import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { container, killedPidInReport, runCli, runRecorded, startCli, tempDir } from './support/cli.ts';

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

  it.each([
    ['overcommit-2', '--allow-host-sysctl'],
    ['swappiness'],
    ['oom-score-adj-host'],
    ['min-free-kbytes', '--allow-host-sysctl'],
    ['jvm-heap-vs-limit'],
    ['mysqld-buffer-pool'],
    ['oom-kill-disable'],
  ])('parity: %s meets the same expectations as on Docker', async (scenario, ...flags) => {
    const { record } = await runRecorded([scenario, ...flags, '--engine', 'host']);
    expect(record.engine.name).toBe('host');
    expect(record.passed).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  it('a harness killed with -9 leaves its process tree and cgroup, and the next command reaps both', async () => {
    const dir = tempDir();
    const file = join(dir, 'long-hold.yaml');
    writeFileSync(file, 'containers:\n  sleeper:\n    workload: hog\n    args: [--alloc, 16m, --hold, 60s]\n    memory: 64m\ntimeout: 90s\n');
    const { child, done } = startCli(['run', file, '--engine', 'host', '--out', join(dir, 'out')]);
    const deadline = Date.now() + 30_000;
    while (leftovers().length === 0) {
      if (Date.now() > deadline) throw new Error('the cgroup never appeared');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    child.kill('SIGKILL');
    await done;
    const [left] = leftovers();
    const pids = readFileSync(`/sys/fs/cgroup/memory/oomlab-host/${left}/cgroup.procs`, 'utf8').split('\n').filter(Boolean).map(Number);
    expect(pids.length).toBeGreaterThan(0);
    const restore = await runCli(['restore']);
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/removed leftover containers: h\d+-/);
    expect(leftovers()).toEqual([]);
    // Killed processes may linger a moment as zombies until their new parent reaps them.
    const running = () => pids.filter((pid) => existsSync(`/proc/${pid}`) && !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')));
    for (let waited = 0; running().length > 0 && waited < 3000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(running()).toEqual([]);
  });
});
