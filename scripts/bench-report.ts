/**
 * Measures the reports on synthetic data (no Docker): 1,000 runs and a million samples.
 *  - the comparison report over 10 run records of one scenario (4 variants × 25 repeats each, ~1,000
 *    samples a run, realistic kills with full kernel reports), with the first record as the baseline:
 *    view model, template, both, and the HTML's size;
 *  - the per-run report (renderRunReport) of one of those records (100 runs, 100,000 samples), and with
 *    --big of one record holding all 1,000 runs and the million samples.
 * Usage: node --import tsx scripts/bench-report.ts [--records 10] [--repeats 25] [--samples 1000] [--big] [--out file.html]
 */
import { writeFileSync } from 'node:fs';
import type { SampleRecord } from '../src/observe/cgroup-sampler.ts';
import type { RunRecord } from '../src/record/run-record.ts';
import { buildComparisonReportModel, type ComparisonRun } from '../src/report/comparison-report-model.ts';
import { renderComparisonReport, renderComparisonReportModel } from '../src/report/render-comparison-report.ts';
import { renderRunReport } from '../src/report/render-run-report.ts';
import { syntheticRun, type SyntheticVariant } from '../test/fixtures/synthetic-run.ts';

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}
const recordCount = flag('records', 10);
const repeats = flag('repeats', 25);
const samplesPerRun = flag('samples', 1000);
const big = process.argv.includes('--big');
const outAt = process.argv.indexOf('--out');
const out = outAt > 0 ? process.argv[outAt + 1] : null;

function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

const fmtMs = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;
const fmtBytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

/** Ten hosts of one scenario; from the sixth on, the 256m variant gets killed in some repeats. */
function variants(record: number): SyntheticVariant[] {
  return [
    { name: 'limit-64m', limitMiB: 64, allocMiB: 200, repeats, swappiness: 10 },
    { name: 'limit-128m-swap', limitMiB: 128, allocMiB: 400, repeats, swapMiB: 64, reservationMiB: 96 },
    { name: 'limit-256m', limitMiB: 256, allocMiB: 250, repeats, survives: record >= 5 ? (i) => i % 4 !== 0 : undefined },
    { name: 'limit-512m', limitMiB: 512, allocMiB: 200, repeats },
  ];
}

const built = timed(() =>
  Array.from({ length: recordCount }, (_, i): ComparisonRun => {
    const { record, samples } = syntheticRun({
      scenario: 'hog-limits',
      description: 'A hog under four limits, on ten hosts',
      runId: `2026120${1 + (i % 9)}-0900${String(i).padStart(2, '0')}-${(0xa000 + i).toString(16)}`,
      kernel: i < 5 ? `5.15.0-${120 + i}-generic` : `6.8.0-${40 + i}-generic`,
      cgroupVersion: i < 5 ? 1 : 2,
      startMs: Date.parse('2026-12-01T09:00:00Z') + i * 86_400_000,
      samplesPerRun,
      intervalMs: 10,
      variants: variants(i),
      seed: i + 1,
      pidBase: 10_000 + i * 1000,
    });
    return { record, samples, label: `host-${i + 1} · ${record.host.kernel} · cgroup v${record.host.cgroupVersion}` };
  }),
);
const runs = built.value;
const [baseline, ...others] = runs;
const runCount = runs.reduce((sum, r) => sum + r.record.variants.reduce((s, v) => s + v.runs.length, 0), 0);
const sampleCount = runs.reduce((sum, r) => sum + r.samples.length, 0);
const killCount = runs.reduce((sum, r) => sum + r.record.variants.reduce((s, v) => s + v.runs.reduce((k, run) => k + run.containers.reduce((c, x) => c + x.kills.length, 0), 0), 0), 0);

console.log(`synthetic data: ${runs.length} run records · ${runCount.toLocaleString('en-US')} runs · ${sampleCount.toLocaleString('en-US')} samples · ${killCount.toLocaleString('en-US')} kills (built in ${built.ms.toFixed(0)} ms)`);
console.log('');
console.log('comparison report (baseline + the other records, one scenario):');
// A first pass warms the JIT and the template; the second is the one reported.
buildComparisonReportModel(others.slice(0, 1), { baseline: baseline! });
const model = timed(() => buildComparisonReportModel(others, { baseline: baseline! }));
const template = timed(() => renderComparisonReportModel(model.value));
const whole = timed(() => renderComparisonReport(others, { baseline: baseline! }));
console.log(`  view model (buildComparisonReportModel)    ${fmtMs(model.ms)}`);
console.log(`  template (renderComparisonReportModel)    ${fmtMs(template.ms)}`);
console.log(`  renderComparisonReport (model + template) ${fmtMs(whole.ms)}`);
console.log(`  HTML size                                 ${fmtBytes(Buffer.byteLength(whole.value))}`);
console.log(`  outcome changes flagged                   ${model.value.differences.length}`);
if (out) {
  writeFileSync(out, whole.value);
  console.log(`  written to ${out}`);
}

console.log('');
console.log('per-run report (renderRunReport):');
const one = runs[runs.length - 1]!;
const oneRuns = one.record.variants.reduce((s, v) => s + v.runs.length, 0);
const single = timed(() => renderRunReport(one.record, one.samples));
console.log(`  one record, ${oneRuns} runs, ${one.samples.length.toLocaleString('en-US')} samples: ${fmtMs(single.ms)}, HTML ${fmtBytes(Buffer.byteLength(single.value))}`);
if (big) {
  // Every run of every record as variants of one record: 1,000 runs, a million samples.
  const record: RunRecord = { ...one.record, variants: runs.flatMap((r, i) => r.record.variants.map((v) => ({ ...v, name: `${v.name}@${i}` }))) };
  const samples: SampleRecord[] = runs.flatMap((r) => r.samples);
  const all = timed(() => renderRunReport(record, samples));
  console.log(`  one record, ${runCount} runs, ${samples.length.toLocaleString('en-US')} samples: ${fmtMs(all.ms)}, HTML ${fmtBytes(Buffer.byteLength(all.value))}`);
}
