import { describe, expect, it } from 'vitest';
import { syntheticRun, type SyntheticSpec, type SyntheticVariant } from '../../test/fixtures/synthetic-run.ts';
import type { SampleRecord } from '../observe/cgroup-sampler.ts';
import { buildComparisonReportModel, MAX_KILL_REPORTS } from './comparison-report-model.ts';
import { indexSamples } from './sample-index.ts';

const START = Date.parse('2026-12-01T09:00:00Z');

function run(overrides: Partial<SyntheticSpec> = {}, variants: SyntheticVariant[] = [{ name: 'limit-64m', limitMiB: 64, allocMiB: 200, repeats: 3 }]) {
  return syntheticRun({ scenario: 'hog', runId: 'r-a', kernel: '6.8.0', cgroupVersion: 2, startMs: START, samplesPerRun: 40, intervalMs: 50, variants, ...overrides });
}

describe('buildComparisonReportModel', () => {
  it('groups records by scenario, one column each, labelled by label or run id and kernel', () => {
    const model = buildComparisonReportModel([run(), run({ runId: 'r-b', kernel: '5.15.0' }), { ...run({ scenario: 'other', runId: 'r-c' }), label: 'staging box' }]);
    expect(model.scenarios.map((s) => s.name)).toEqual(['hog', 'other']);
    expect(model.scenarios[0]!.columns.map((c) => [c.letter, c.label, c.isReference])).toEqual([
      ['A', 'r-a · 6.8.0', true],
      ['B', 'r-b · 5.15.0', false],
    ]);
    expect(model.scenarios[1]!.columns[0]!.label).toBe('staging box');
    expect(model.totals.find((t) => t.label === 'runs')!.value).toBe('9');
  });

  it('puts the baseline first and compares every other column against it', () => {
    const baseline = run({ runId: 'base' });
    const killedOnce = run({ runId: 'new' }, [{ name: 'limit-64m', limitMiB: 64, allocMiB: 200, repeats: 3, survives: (i) => i !== 0 }]);
    const model = buildComparisonReportModel([killedOnce, baseline], { baseline });
    const scenario = model.scenarios[0]!;
    // The baseline given among the runs too is shown once.
    expect(scenario.columns.map((c) => c.runId)).toEqual(['base', 'new']);
    expect(scenario.columns[0]).toMatchObject({ isBaseline: true, isReference: true });
    expect(scenario.columns[0]!.label).toBe('baseline · base · 6.8.0');
    const cells = scenario.variants[0]!.containers[0]!.cells;
    expect(cells[0]!.differs).toBe(false);
    expect(cells[1]).toMatchObject({ differs: true, differsNote: 'baseline: oom-killed (container) ×3 of 3' });
    expect(cells[1]!.outcomes.map((o) => [o.outcome, o.countText, o.pct])).toEqual([
      ['survived', '×2 of 3', 66.7],
      ['oom-killed', '×1 of 3', 33.3],
    ]);
    expect(model.differences).toEqual([expect.objectContaining({ variant: 'limit-64m', container: 'hog', outcomes: 'survived ×2 of 3, oom-killed (container) ×1 of 3' })]);
    expect(model.totals.find((t) => t.label === 'outcome changes vs baseline')).toMatchObject({ value: '1', tone: 'warn' });
  });

  it('compares shares, not counts, and counts the kill scope as part of the outcome', () => {
    const three = run({ runId: 'three' });
    const five = run({ runId: 'five' }, [{ name: 'limit-64m', limitMiB: 64, allocMiB: 200, repeats: 5 }]);
    const parent = run({ runId: 'parent' });
    for (const r of parent.record.variants[0]!.runs) r.containers[0]!.scope = 'parent';
    const cells = buildComparisonReportModel([three, five, parent]).scenarios[0]!.variants[0]!.containers[0]!.cells;
    expect(cells.map((c) => c.differs)).toEqual([false, false, true]);
    expect(cells[2]!.differsNote).toBe('A: oom-killed (container) ×3 of 3');
  });

  it('marks a variant missing from a record, and one the reference lacks', () => {
    const a = run({ runId: 'a' });
    const b = run({ runId: 'b' }, [
      { name: 'limit-64m', limitMiB: 64, allocMiB: 200, repeats: 1 },
      { name: 'limit-512m', limitMiB: 512, allocMiB: 200, repeats: 1 },
    ]);
    const scenario = buildComparisonReportModel([a, b]).scenarios[0]!;
    expect(scenario.variants.map((v) => v.name)).toEqual(['limit-64m', 'limit-512m']);
    const cells = scenario.variants[1]!.containers[0]!.cells;
    expect(cells[0]).toMatchObject({ present: false, differs: false });
    expect(cells[1]).toMatchObject({ present: true, differs: true, differsNote: 'A: not run' });
    expect(scenario.variants[1]!.containers[0]!.charts[0]!.note).toBe('Not run in this record.');
  });

  it('sums up time to kill, peak, victims and settings not in force per record', () => {
    const record = run({}, [{ name: 'v', limitMiB: 64, allocMiB: 200, repeats: 3, swappiness: 10 }]);
    const ttk = record.record.variants[0]!.runs.map((r) => r.containers[0]!);
    ttk[0]!.timeToKillMs = 300;
    ttk[1]!.timeToKillMs = 900;
    ttk[2]!.timeToKillMs = 400;
    const cell = buildComparisonReportModel([record]).scenarios[0]!.variants[0]!.containers[0]!.cells[0]!;
    expect(cell.timeToKill).toEqual({ median: 'median 400 ms', range: '300 ms – 900 ms', killed: '3 of 3 runs killed', delta: null });
    expect(cell.peak.text).toMatch(/^6\d\.\d MiB \/ 64.0 MiB$/);
    expect(cell.victims).toEqual([{ comm: 'hog', oomScoreAdj: '0', scope: 'container', isMain: true, count: 3, countText: '×3', pids: 'pids 20000, 20001, 20002' }]);
    expect(cell.notInForce).toEqual([{ key: 'memorySwappiness', reason: 'cgroup v2 has no per-cgroup swappiness; the host discarded it' }]);
    expect(cell.decidedBy).toBe('kernel-log ×3');
  });

  it('shows the settings read back per record, highlighting those not in force', () => {
    const v1 = run({ runId: 'v1', cgroupVersion: 1 }, [{ name: 'v', limitMiB: 64, allocMiB: 200, repeats: 1, swappiness: 10 }]);
    const v2 = run({ runId: 'v2', cgroupVersion: 2 }, [{ name: 'v', limitMiB: 64, allocMiB: 200, repeats: 1, swappiness: 10 }]);
    const container = buildComparisonReportModel([v1, v2]).scenarios[0]!.variants[0]!.containers[0]!;
    const row = container.settings.find((r) => r.key === 'memorySwappiness')!;
    expect(row).toMatchObject({ requested: '10', flag: '--memory-swappiness', anyDifference: true });
    expect(row.cells.map((c) => [c.effective, c.tone])).toEqual([
      ['10', null],
      ['not in force', 'warn'],
    ]);
    expect(container.settingsDiffer).toBe(true);
    expect(container.settingsSummary).toBe('not in force: memorySwappiness');
  });

  it('compares host facts and sysctls, and the sysctls each run set', () => {
    const sysctls = { 'vm.overcommit_memory': { before: '0', during: '2', after: '0' } };
    const a = run({ runId: 'a', kernel: '5.15' }, [{ name: 'v', limitMiB: 64, allocMiB: 200, repeats: 2, runSysctls: sysctls }]);
    const b = run({ runId: 'b', kernel: '6.8', hostSysctls: { 'vm.overcommit_memory': '1' } }, [
      { name: 'v', limitMiB: 64, allocMiB: 200, repeats: 2, runSysctls: { 'vm.overcommit_memory': { before: '1', during: '2', after: '2' } } },
    ]);
    const scenario = buildComparisonReportModel([a, b]).scenarios[0]!;
    expect(scenario.hostFacts.find((f) => f.label === 'kernel')!.cells.map((c) => [c.value, c.differs])).toEqual([
      ['5.15', false],
      ['6.8', true],
    ]);
    expect(scenario.hostFacts.find((f) => f.label === 'cgroup version')!.cells.map((c) => c.differs)).toEqual([false, false]);
    expect(scenario.hostSysctls.find((f) => f.label === 'vm.overcommit_memory')!.cells.map((c) => [c.value, c.differs])).toEqual([
      ['0', false],
      ['1', true],
    ]);
    expect(scenario.hostSysctls.find((f) => f.label === 'vm.swappiness')!.cells.map((c) => [c.value, c.differs])).toEqual([
      ['60', false],
      ['—', true],
    ]);
    expect(scenario.variants[0]!.hostSysctls).toEqual([
      {
        name: 'vm.overcommit_memory',
        cells: [
          { entries: [{ text: '0 → 2 → 0', count: '×2', tone: null, note: null }] },
          { entries: [{ text: '1 → 2 → 2', count: '×2', tone: 'fail', note: 'not restored' }] },
        ],
      },
    ]);
  });

  it('draws every run of a variant on shared axes, at most 500 points a series, keeping the samples around each kill', () => {
    const a = run({ runId: 'a', samplesPerRun: 5000, intervalMs: 2 }, [{ name: 'v', limitMiB: 64, allocMiB: 200, repeats: 2 }]);
    const b = run({ runId: 'b', samplesPerRun: 300, intervalMs: 40 }, [{ name: 'v', limitMiB: 128, allocMiB: 200, repeats: 1 }]);
    const container = buildComparisonReportModel([a, b]).scenarios[0]!.variants[0]!.containers[0]!;
    const [chartA, chartB] = container.charts;
    expect(chartA!.series).toHaveLength(2);
    for (const [i, series] of chartA!.series.entries()) {
      expect(series.usage.length).toBeLessThanOrEqual(500);
      const runResult = a.record.variants[0]!.runs[i]!;
      const window = a.samples.filter((s) => s.at >= runResult.startedAt && s.at <= runResult.finishedAt);
      const t0 = Date.parse(window[0]!.at);
      const kill = Date.parse(runResult.containers[0]!.kills[0]!.kernelTime!);
      const before = window.filter((s) => Date.parse(s.at) <= kill).at(-1)!;
      const after = window.find((s) => Date.parse(s.at) > kill)!;
      for (const sample of [before, after]) expect(series.usage).toContainEqual({ t: (Date.parse(sample.at) - t0) / 1000, v: sample.usageBytes! / (1024 * 1024) });
      expect(series.kills[0]!.t).toBeCloseTo((kill - t0) / 1000);
      // The peak survives too.
      expect(Math.max(...series.usage.map((p) => p.v))).toBeCloseTo(Math.max(...window.map((s) => s.usageBytes!)) / (1024 * 1024));
    }
    // Shared axes: B's smaller limit sits on A's scale (the larger limit sets the top).
    expect(chartA!.chart!.yTicks).toEqual(chartB!.chart!.yTicks);
    expect(chartA!.chart!.xTicks).toEqual(chartB!.chart!.xTicks);
    expect(chartA!.chart!.kills).toHaveLength(2);
    expect(chartA!.chart!.lines.map((l) => l.kind)).toEqual(['limit']);
    expect(chartA!.caption).toContain('2 of 2 runs overlaid · 10,000 samples, drawn from');
  });

  it('draws swap when used, the reservation, and falls back to the time the harness saw a kill', () => {
    const r = run({}, [{ name: 'v', limitMiB: 64, allocMiB: 200, repeats: 1, swapMiB: 32, reservationMiB: 48 }]);
    r.record.variants[0]!.runs[0]!.containers[0]!.kills[0]!.kernelTime = null;
    const container = buildComparisonReportModel([r]).scenarios[0]!.variants[0]!.containers[0]!;
    const chart = container.charts[0]!;
    expect(chart.series[0]!.swap!.length).toBeGreaterThan(1);
    expect(chart.chart!.swap).toHaveLength(1);
    expect(chart.chart!.lines.map((l) => [l.kind, l.label])).toEqual([
      ['limit', 'limit 64.0 MiB'],
      ['reservation', 'reservation 48.0 MiB'],
    ]);
    expect(chart.series[0]!.kills[0]!.timeSource).toBe('observed');
    expect(chart.chart!.kills[0]!.title).toContain('(time the harness saw it; no kernel time)');
    expect(container.legend).toMatchObject({ swap: true, reservation: true, kills: true, limit: true, standin: false });
  });

  it('says why there is no timeline', () => {
    const r = run();
    const container = buildComparisonReportModel([{ ...r, samples: [] }]).scenarios[0]!.variants[0]!.containers[0]!;
    expect(container.charts[0]!.chart).toBeNull();
    expect(container.charts[0]!.note).toMatch(/^No timeline: no samples/);
  });

  it(`keeps the first ${MAX_KILL_REPORTS} kernel reports per record and says where the rest are`, () => {
    const r = run({}, [{ name: 'v', limitMiB: 64, allocMiB: 200, repeats: 8 }]);
    const cell = buildComparisonReportModel([r]).scenarios[0]!.variants[0]!.containers[0]!.charts[0]!;
    expect(cell.reports).toHaveLength(MAX_KILL_REPORTS);
    expect(cell.reports[0]!.summary).toMatch(/^run #0 · pid 20000 hog \(main process\) · oom_score_adj 0 · scope container · 2026-12-01 /);
    expect(cell.reports[0]!.text).toContain('Memory cgroup out of memory: Killed process 20000 (hog)');
    expect(cell.more).toBe('3 more kills; their reports are in run.json of r-a');
    expect(cell.reportsTitle).toBe('kernel OOM reports: the first 5 of 8 kills');
    expect(cell.logTail!.summary).toBe('container output of run #0, last 4 lines');
  });

  it('says when the baseline is of another scenario', () => {
    const baseline = run({ scenario: 'base-scenario', runId: 'b' });
    const model = buildComparisonReportModel([run()], { baseline });
    expect(model.scenarios.map((s) => s.name)).toEqual(['base-scenario', 'hog']);
    expect(model.scenarios[1]!.note).toContain('The baseline is of scenario base-scenario');
    expect(model.scenarios[1]!.columns[0]!.isReference).toBe(true);
  });

  it('builds an empty model for no runs', () => {
    const model = buildComparisonReportModel([]);
    expect(model.empty).toBe(true);
    expect(model.scenarios).toEqual([]);
  });
});

describe('indexSamples', () => {
  it('groups by container and sorts by time only when needed', () => {
    const at = (s: number) => new Date(START + s * 1000).toISOString();
    const sample = (container: string, s: number) => ({ at: at(s), container, usageBytes: s }) as SampleRecord;
    const index = indexSamples([sample('a', 2), sample('b', 1), sample('a', 1), sample('a', 3)]);
    expect(index.get('a')!.samples.map((s) => s.usageBytes)).toEqual([1, 2, 3]);
    expect([...index.get('a')!.times]).toEqual([1, 2, 3].map((s) => START + s * 1000));
    expect(index.get('b')!.samples).toHaveLength(1);
  });
});
