import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { readRecord, ROOT, runCli, startCli, tempDir } from './support/cli.ts';
import { oomlabContainers, requireDocker } from './support/docker.ts';

const FIXTURES = join(ROOT, '..', 'shared', 'fixtures', 'kmsg');

describe('oomlab kills', () => {
  it('parses every fixture and names the victim the kernel killed', async () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.kmsg'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) {
      const result = await runCli(['kills', join(FIXTURES, file), '--json']);
      expect(result.code).toBe(0);
      const rows = JSON.parse(result.stdout);
      expect(rows).toHaveLength(1);
      expect(rows[0].pid).toBeGreaterThan(0);
    }
    const parent = await runCli(['kills', join(FIXTURES, 'memcg-v1-parent-cgroup-adj500-victim.kmsg')]);
    expect(parent.stdout).toMatch(/16814\s+hog\s+500\s+\d+ MiB\s+parent/);
  });

  it('reads standard input as `-`, e.g. a journalctl -k dump', () => {
    const journal = readFileSync(join(FIXTURES, 'memcg-v1-docker-container-limit.kmsg'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => `Dec 03 12:00:00 db1 kernel: ${line.slice(line.indexOf(';') + 1)}`)
      .join('\n');
    const stdout = execFileSync(process.execPath, [join(ROOT, 'bin/oomlab.mjs'), 'kills', '-', '--json'], { input: journal, encoding: 'utf8' });
    expect(JSON.parse(stdout)).toMatchObject([{ pid: 4624, comm: 'hog', scope: 'container', host: 'db1' }]);
  });
});

describe('bad input', () => {
  it('a malformed scenario exits 2 with file:line:col messages and starts nothing', async () => {
    const dir = tempDir();
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'containers:\n  hog:\n    workload: hog\n    memroy: 64m\n    memorySwap: 32m\n');
    const out = join(dir, 'out');
    const before = await oomlabContainers('oomlab.scenario=broken').catch(() => []);
    const result = await runCli(['run', file, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/broken\.yaml:4:5 containers\.hog\.memroy: unknown key "memroy"; did you mean "memory"\?/);
    expect(existsSync(out)).toBe(false);
    expect(await oomlabContainers('oomlab.scenario=broken').catch(() => [])).toEqual(before);
  });

  it('an unknown scenario or variant exits 2', async () => {
    expect((await runCli(['run', 'no-such-scenario'])).code).toBe(2);
    const result = await runCli(['run', 'oom-basics', '--variant', 'limit-64', '--out', tempDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/did you mean "limit-64m"/);
  });

  it('no engine exits 3 and says what to do', async () => {
    const result = await runCli(['run', 'oom-basics', '--engine', 'docker', '--out', tempDir()], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/lab:setup|DOCKER_HOST/);
  });
});

const docker = await requireDocker();

describe.runIf(docker.available)('interrupting a run', () => {
  it('Ctrl-C mid-run removes the containers and records the interruption', async () => {
    const dir = tempDir();
    const file = join(dir, 'long-hold.yaml');
    writeFileSync(file, 'containers:\n  sleeper:\n    workload: hog\n    args: [--alloc, 16m, --hold, 60s]\n    memory: 64m\ntimeout: 90s\n');
    const out = join(dir, 'out');
    const { child, done } = startCli(['run', file, '--out', out]);
    const deadline = Date.now() + 30_000;
    while ((await oomlabContainers('oomlab.scenario=long-hold')).length === 0) {
      if (Date.now() > deadline) throw new Error('the container never appeared');
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(130);
    expect(await oomlabContainers('oomlab.scenario=long-hold')).toEqual([]);
    expect(readRecord(out).interrupted).toBe('SIGINT');
  });
});
