/**
 * Measures what the harness costs and how fast it sees kills, on this machine's real Docker engine:
 *  - kill-detection lag: the kernel's timestamp of each OOM kill → when the harness observed it;
 *  - per-run overhead: one harness run of oom-basics/limit-64m against a bare `docker run` of the same workload,
 *    and the same run on the host engine (no image, no daemon), side by side.
 * Usage: npm run bench [-- --repeat N]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunRecord } from '../src/record/run-record.ts';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const repeatFlag = process.argv.indexOf('--repeat');
const repeat = repeatFlag > 0 ? Number(process.argv[repeatFlag + 1]) : 10;

function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return `n=${sorted.length} min ${sorted[0]!.toFixed(1)} median ${pick(0.5).toFixed(1)} p90 ${pick(0.9).toFixed(1)} max ${sorted.at(-1)!.toFixed(1)} mean ${mean.toFixed(1)}`;
}

function timeMs(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

// The same workload and flags as oom-basics' limit-64m variant.
const bareArgs = ['run', '--rm', '-m', '64m', '--memory-swap', '64m', '--network', 'none', 'oomlab/hog:latest', 'hog', '--delay', '300ms', '--alloc', '200m', '--hold', '0'];
spawnSync('docker', bareArgs, { stdio: 'ignore' }); // warm the image cache
const bare: number[] = [];
for (let i = 0; i < repeat; i++) {
  bare.push(timeMs(() => spawnSync('docker', bareArgs, { stdio: 'ignore' })));
}

function harness(engine: 'docker' | 'host') {
  const out = mkdtempSync(join(tmpdir(), 'oomlab-bench-'));
  const cliMs = timeMs(() =>
    execFileSync(process.execPath, [join(root, 'bin/oomlab.mjs'), 'run', 'oom-basics', '--engine', engine, '--variant', 'limit-64m', '--repeat', String(repeat), '--out', out], { stdio: 'ignore' }),
  );
  const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunRecord;
  return { cliMs, record, runs: record.variants.flatMap((v) => v.runs) };
}

const { cliMs, record, runs } = harness('docker');
const host = harness('host');
const lags = runs.flatMap((run) => run.containers.flatMap((c) => c.kills.map((k) => k.lagMs))).filter((lag): lag is number => lag !== null);
const outcomes = runs.map((run) => run.containers[0]!.outcome);

console.log(`oomlab benchmark — ${new Date().toISOString()}, kernel ${record.host.kernel}, cgroup v${record.host.cgroupVersion}, docker ${record.engine.version}`);
console.log(`workload: hog --delay 300ms --alloc 200m under -m 64m --memory-swap 64m, ${repeat} runs each`);
console.log(`outcomes: ${outcomes.join(', ')}`);
console.log(`kill-detection lag (kernel timestamp → harness observedAt), ms: ${stats(lags)}`);
console.log(`bare docker run --rm, wall ms per run:                      ${stats(bare)}`);
console.log(`harness run (create → start → wait → inspect → logs → remove), ms: ${stats(runs.map((r) => r.durationMs))}`);
console.log(`harness whole CLI for ${repeat} runs: ${cliMs.toFixed(0)} ms (${(cliMs / repeat).toFixed(0)} ms per run incl. node/tsx start-up)`);
const hostLags = host.runs.flatMap((run) => run.containers.flatMap((c) => c.kills.map((k) => k.lagMs))).filter((lag): lag is number => lag !== null);
console.log(`host engine outcomes: ${host.runs.map((run) => run.containers[0]!.outcome).join(', ')}`);
console.log(`host engine run (mkdir cgroup → spawn → wait → rmdir), ms: ${stats(host.runs.map((r) => r.durationMs))}`);
console.log(`host engine kill-detection lag, ms: ${stats(hostLags)}`);
console.log(`host engine whole CLI for ${repeat} runs: ${host.cliMs.toFixed(0)} ms (${(host.cliMs / repeat).toFixed(0)} ms per run)`);
