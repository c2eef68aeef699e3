import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, runRecorded, tempDir } from './support/cli.ts';
import { requireDocker } from './support/docker.ts';

const docker = await requireDocker();
const MiB = 1024 ** 2;

describe.runIf(docker.available)('regression checks and tuning on real Docker', () => {
  it('compare exits 0 on equal outcomes and 1 on a changed one; --junit writes one testcase per expectation', async () => {
    const junit = join(tempDir(), 'results.xml');
    const first = await runRecorded(['oom-basics', '--junit', junit]);
    const second = await runRecorded(['oom-basics']);
    const same = await runCli(['compare', first.out, join(second.out, 'run.json')]);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/no outcome changed/);

    // The same record with limit-512m's hog killed, as a regression would show it.
    const changed = JSON.parse(readFileSync(join(second.out, 'run.json'), 'utf8'));
    const hog = changed.variants.find((v: { name: string }) => v.name === 'limit-512m').runs[0].containers[0];
    Object.assign(hog, { outcome: 'oom-killed', scope: 'container' });
    const changedPath = join(tempDir(), 'run.json');
    writeFileSync(changedPath, JSON.stringify(changed));
    const different = await runCli(['compare', first.out, changedPath]);
    expect(different.code).toBe(1);
    expect(different.stdout).toMatch(/limit-512m \/ hog\s+survived → oom-killed \(container\)/);

    const xml = readFileSync(junit, 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml).toContain('failures="0"');
    expect(xml).toContain('classname="oom-basics.limit-512m" name="hog"');
  });

  it("tune finds oom-basics' survival boundary for the 200 MiB hog within one bisection step", async () => {
    const out = tempDir();
    const result = await runCli(['tune', 'oom-basics', '--container', 'hog', '--param', 'memory', '--range', '64m..512m', '--target', 'survived', '--precision', '8m', '--out', out]);
    expect(result.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'tune.json'), 'utf8'));
    // The hog needs 200 MiB plus the container's own overhead; below that the kernel kills it.
    expect(report.boundary).toBeGreaterThan(200 * MiB);
    expect(report.boundary).toBeLessThanOrEqual(200 * MiB + 24 * MiB);
    expect(report.boundary - report.nearestFailing).toBeLessThanOrEqual(8 * MiB);
    expect(report.recommendation).toBe(Math.round(report.boundary * 1.2));
    for (const probe of report.probes) expect(probe.met).toBe(probe.value >= report.boundary);
    expect(readFileSync(join(out, 'tune.html'), 'utf8')).toContain('Recommendation');
  });
});
