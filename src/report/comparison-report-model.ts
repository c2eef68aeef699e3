/**
 * The view model of a comparison report: several run records side by side, grouped by scenario,
 * each record a column. Pure: the same inputs always give the same model, with no HTML in it; the
 * template escapes every string.
 *
 * Per record it builds the run report's own model (without samples) for what that already words
 * (peaks, settings read back, host facts and sysctls, kills), and draws the timelines itself from
 * samples indexed once by container and time, so a thousand runs and a million samples stay fast.
 */
import { indexSamples, killTime, samplesInWindow, type ContainerSamples } from './sample-index.ts';
import type { SampleRecord } from '../observe/cgroup-sampler.ts';
import { OUTCOME_MEANINGS, type Outcome } from '../outcome/outcomes.ts';
import type { ContainerResult, KillRecord, RunRecord, RunResult, VariantRecord } from '../record/run-record.ts';
import { formatBytes } from '../units/size.ts';
import { formatDuration } from '../units/duration.ts';
import { layoutOverlay, overlayDomain, type OverlayChart, type OverlayInput, type RepeatSeries } from './comparison-chart.ts';
import { anchorsAround, downsampleLttb, indexAtOrBefore } from './lttb.ts';
import {
  buildRunReportModel,
  formatTimestamp,
  SCOPE_MEANINGS,
  type Badge,
  type ContainerSettingsView,
  type PeakView,
  type RunReportModel,
  type SummaryRow,
  type Tone,
} from './run-report-model.ts';
import { dropRepeats, MAX_POINTS_PER_SERIES, type ChartSize, type Point, type TimelineKill } from './timeline.ts';

export interface ComparisonRun {
  record: RunRecord;
  samples: readonly SampleRecord[];
  /** The column's heading; `${runId} · ${kernel}` when not given. */
  label?: string;
}

export interface ComparisonOptions {
  /** Shown as the first column of its scenario; every other column is compared against it. */
  baseline?: ComparisonRun;
}

/** Most points drawn per chart, over all its overlaid repeats; each repeat gets a share (at most 500). */
export const CHART_POINT_BUDGET = 3000;
/** Fewest points a repeat's line is drawn from, however many repeats share a chart. */
const MIN_POINTS_PER_REPEAT = 60;
/** Kernel reports shown in full per variant, container and record; the rest stay in run.json. */
export const MAX_KILL_REPORTS = 5;
/** Victim pids listed per victim group. */
const LISTED_PIDS = 4;

const MIB = 1024 * 1024;

export interface ColumnView {
  anchor: string;
  /** A, B, C…: short names for the columns, used in the tables' headings. */
  letter: string;
  label: string;
  runId: string;
  scenarioFile: string;
  kernel: string;
  cgroupVersion: string;
  engine: string;
  startedAt: string;
  /** "3 variants · 9 runs". */
  size: string;
  verdict: Badge;
  interrupted: string | null;
  isBaseline: boolean;
  /** The column the others are compared against (the baseline, or the first). */
  isReference: boolean;
}

export interface OutcomeShare {
  outcome: string;
  scope: string | null;
  tone: Tone;
  count: number;
  /** "×2 of 3"; just the outcome's count when there was one run. */
  countText: string;
  /** Share of the runs, 0–100, for the distribution bar. */
  pct: number;
}

export interface VictimGroup {
  comm: string;
  oomScoreAdj: string;
  scope: string;
  isMain: boolean;
  count: number;
  /** "×3"; null for a single kill. */
  countText: string | null;
  /** "pid 4242" or "pids 1, 2, 3, 4 +6 more". */
  pids: string;
}

/** One record's view of one variant's container: the cells of one column of the comparison table. */
export interface ComparisonCell {
  letter: string;
  /** False when this record has no such variant or container. */
  present: boolean;
  runs: number;
  outcomes: OutcomeShare[];
  /** How the outcomes were decided: "kernel-log ×3". */
  decidedBy: string;
  /** The outcome distribution differs from the reference column's. */
  differs: boolean;
  /** What the reference had, when this differs: "baseline: oom-killed (container) ×3 of 3". */
  differsNote: string | null;
  isReference: boolean;
  timeToKill: { median: string; range: string | null; killed: string; delta: string | null } | null;
  peak: PeakView;
  victims: VictimGroup[];
  /** Requested settings not in force, with why. */
  notInForce: Array<{ key: string; reason: string }>;
  warnings: string[];
}

export interface SettingCompareRow {
  key: string;
  flag: string | null;
  requested: string;
  requestedSet: boolean;
  cells: Array<{ effective: string; tone: Tone | null; reason: string | null; present: boolean; requestedHere: string | null }>;
  anyDifference: boolean;
}

export interface KillReportView {
  summary: string;
  text: string;
  lines: number;
}

/** One record's memory timeline of a variant's container, and the kernel's reports of its kills. */
export interface ChartCell {
  letter: string;
  label: string;
  isReference: boolean;
  chart: OverlayChart | null;
  /** The data the chart was drawn from (downsampled), one series per run. */
  series: RepeatSeries[];
  note: string | null;
  caption: string | null;
  /** The variant ran in this record. */
  present: boolean;
  reports: KillReportView[];
  /** With several reports, they sit in one disclosure with this title; null for one or none. */
  reportsTitle: string | null;
  /** Kills whose reports are not repeated here. */
  more: string | null;
  logTail: { summary: string; text: string } | null;
}

export interface ContainerComparison {
  anchor: string;
  name: string;
  firstOfVariant: boolean;
  cells: ComparisonCell[];
  anyDiffers: boolean;
  settings: SettingCompareRow[];
  /** Some requested setting is not in force in some record: the settings table starts open. */
  settingsDiffer: boolean;
  /** "all in force as requested" or "2 not in force: memorySwappiness, kernelMemory". */
  settingsSummary: string;
  /** Per record: the timeline and the kernel's reports. */
  charts: ChartCell[];
  /** Which legend entries the charts of this row need. */
  legend: { swap: boolean; limit: boolean; reservation: boolean; standin: boolean; kills: boolean; dots: boolean };
}

export interface VariantComparison {
  anchor: string;
  name: string;
  description: string | null;
  matrix: Array<{ key: string; value: string }>;
  /** The stand-in host, once when every record ran the same one; per record (letter set) when they differ. */
  standInHost: Array<{ letter: string | null; text: string; differs: boolean }>;
  containers: ContainerComparison[];
  /** Rows of the comparison table this variant spans. */
  rowspan: number;
  /** Host sysctls set by the variant's runs: before → during → after, per record. */
  hostSysctls: Array<{ name: string; cells: Array<{ entries: Array<{ text: string; count: string | null; tone: Tone | null; note: string | null }> }> }>;
}

export interface FactCompareRow {
  label: string;
  cells: Array<{ value: string; note: string | null; tone: Tone | null; differs: boolean }>;
}

export interface ScenarioComparison {
  anchor: string;
  name: string;
  description: string | null;
  columns: ColumnView[];
  /** "3 run records". */
  columnsText: string;
  referenceLetter: string;
  /** "the baseline" or "A (the first run given)". */
  referenceName: string;
  note: string | null;
  variants: VariantComparison[];
  hostFacts: FactCompareRow[];
  hostSysctls: FactCompareRow[];
  differingCells: number;
}

export interface DifferenceView {
  scenario: string;
  variant: string;
  container: string;
  anchor: string;
  column: string;
  reference: string;
  outcomes: string;
}

export interface ComparisonReportModel {
  title: string;
  subtitle: string;
  totals: Array<{ label: string; value: string; tone: Tone | null }>;
  baseline: string | null;
  differences: DifferenceView[];
  scenarios: ScenarioComparison[];
  empty: boolean;
  glossary: {
    outcomes: Array<{ outcome: string; meaning: string; tone: Tone }>;
    scopes: Array<{ scope: string; meaning: string }>;
  };
}


function letterFor(i: number): string {
  let n = i;
  let out = '';
  do {
    out = String.fromCharCode(65 + (n % 26)) + out;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return out;
}

function median(sorted: number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function plural(count: number, word: string): string {
  return `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
}

/** Container names of a variant: those in its settings, then any that only appear in its runs. */
function containerNames(variant: VariantRecord): string[] {
  const names = Object.keys(variant.settings.containers);
  const seen = new Set(names);
  for (const run of variant.runs) {
    for (const container of run.containers) {
      if (!seen.has(container.name)) {
        seen.add(container.name);
        names.push(container.name);
      }
    }
  }
  return names;
}

/** One record, readied once: its run-report model (built without samples) and its samples indexed. */
interface Column {
  view: ColumnView;
  record: RunRecord;
  samples: Map<string, ContainerSamples>;
  model: RunReportModel;
  variants: Map<string, { variant: VariantRecord; index: number }>;
  summary: Map<string, SummaryRow>;
  settings: Map<string, ContainerSettingsView>;
  tones: Map<string, Tone>;
}

const key = (...parts: string[]) => parts.join('\u0000');

function prepareColumn(input: ComparisonRun, letter: string, anchor: string, isBaseline: boolean): Column {
  const { record } = input;
  // Samples are indexed here; the run report's model is asked only for what it words without them.
  const model = buildRunReportModel(record, []);
  const summary = new Map<string, SummaryRow>();
  for (const row of model.summary) summary.set(key(row.variant, row.container), row);
  const settings = new Map<string, ContainerSettingsView>();
  model.variants.forEach((variant) => {
    for (const container of variant.containers) settings.set(key(variant.name, container.name), container);
  });
  const variants = new Map<string, { variant: VariantRecord; index: number }>();
  record.variants.forEach((variant, index) => {
    if (!variants.has(variant.name)) variants.set(variant.name, { variant, index });
  });
  const runs = record.variants.reduce((sum, variant) => sum + variant.runs.length, 0);
  const baseLabel = input.label ?? `${record.runId} · ${record.host.kernel}`;
  return {
    view: {
      anchor,
      letter,
      label: isBaseline ? `baseline · ${baseLabel}` : baseLabel,
      runId: record.runId,
      scenarioFile: record.scenarioFile,
      kernel: record.host.kernel,
      cgroupVersion: `cgroup v${record.host.cgroupVersion}`,
      engine: `${record.engine.name} ${record.engine.version}`,
      startedAt: formatTimestamp(record.startedAt),
      size: `${plural(record.variants.length, 'variant')} · ${plural(runs, 'run')}`,
      verdict: model.verdict,
      interrupted: record.interrupted,
      isBaseline,
      isReference: false,
    },
    record,
    samples: indexSamples(input.samples),
    model,
    variants,
    summary,
    settings,
    tones: new Map(model.glossary.outcomes.map((o) => [o.outcome, o.tone])),
  };
}

/** A container's results in one variant of one record, with the run each came from. */
function resultsOf(variant: VariantRecord, name: string): Array<{ run: RunResult; result: ContainerResult }> {
  const out: Array<{ run: RunResult; result: ContainerResult }> = [];
  for (const run of variant.runs) {
    const result = run.containers.find((c) => c.name === name);
    if (result) out.push({ run, result });
  }
  return out;
}

/** Outcome (and kill scope) → share of the runs: what "the same behaviour" means across records. */
function distribution(results: ReadonlyArray<{ result: ContainerResult }>): Map<string, { outcome: string; scope: string | null; count: number }> {
  const map = new Map<string, { outcome: string; scope: string | null; count: number }>();
  for (const { result } of results) {
    const k = key(result.outcome, result.scope ?? '');
    const entry = map.get(k);
    if (entry) entry.count++;
    else map.set(k, { outcome: result.outcome, scope: result.scope, count: 1 });
  }
  return new Map([...map].sort((a, b) => b[1].count - a[1].count || a[1].outcome.localeCompare(b[1].outcome)));
}

function sameDistribution(a: ReturnType<typeof distribution>, aTotal: number, b: ReturnType<typeof distribution>, bTotal: number): boolean {
  if (a.size !== b.size) return false;
  for (const [k, entry] of a) {
    const other = b.get(k);
    // Shares, not counts: 3 of 3 and 5 of 5 are the same behaviour.
    if (!other || entry.count * bTotal !== other.count * aTotal) return false;
  }
  return true;
}

function distributionText(dist: ReturnType<typeof distribution>, total: number): string {
  if (total === 0) return 'no run';
  return [...dist.values()].map((e) => `${e.outcome}${e.scope ? ` (${e.scope})` : ''} ${total > 1 ? `×${e.count} of ${total}` : ''}`.trim()).join(', ');
}

function ttkStats(results: ReadonlyArray<{ result: ContainerResult }>): { median: number; min: number; max: number; count: number } | null {
  const values = results.map(({ result }) => result.timeToKillMs).filter((ms): ms is number => ms !== null).sort((a, b) => a - b);
  if (values.length === 0) return null;
  return { median: median(values), min: values[0]!, max: values[values.length - 1]!, count: values.length };
}

function victimGroups(results: ReadonlyArray<{ result: ContainerResult }>): VictimGroup[] {
  const groups = new Map<string, VictimGroup & { pidList: number[] }>();
  for (const { result } of results) {
    for (const kill of result.kills) {
      const isMain = kill.pid === result.mainPid;
      const adj = kill.oomScoreAdj === null ? '—' : String(kill.oomScoreAdj);
      const k = key(kill.comm, adj, kill.scope, String(isMain));
      const group = groups.get(k);
      if (group) {
        group.count++;
        group.pidList.push(kill.pid);
      } else groups.set(k, { comm: kill.comm, oomScoreAdj: adj, scope: kill.scope, isMain, count: 1, countText: null, pids: '', pidList: [kill.pid] });
    }
  }
  return [...groups.values()].map(({ pidList, ...group }) => ({
    ...group,
    countText: group.count > 1 ? `×${group.count}` : null,
    pids:
      pidList.length === 1
        ? `pid ${pidList[0]}`
        : `pids ${pidList.slice(0, LISTED_PIDS).join(', ')}${pidList.length > LISTED_PIDS ? ` +${pidList.length - LISTED_PIDS} more` : ''}`,
  }));
}

function emptyPeak(): PeakView {
  return { text: '—', boundNote: null, pct: null, pctText: null, tone: 'muted' };
}

function missingCell(letter: string, isReference: boolean, differs: boolean, differsNote: string | null): ComparisonCell {
  return {
    letter,
    present: false,
    runs: 0,
    outcomes: [],
    decidedBy: '',
    differs,
    differsNote,
    isReference,
    timeToKill: null,
    peak: emptyPeak(),
    victims: [],
    notInForce: [],
    warnings: [],
  };
}

function signedDuration(ms: number): string {
  return `${ms >= 0 ? '+' : '−'}${formatDuration(Math.abs(ms))}`;
}

interface Prepared {
  column: Column;
  variant: VariantRecord | null;
  results: Array<{ run: RunResult; result: ContainerResult }>;
}

function cell(prepared: Prepared, reference: Prepared, variantName: string, name: string, referenceName: string): ComparisonCell {
  const { column, results } = prepared;
  const isReference = prepared === reference;
  const refDist = distribution(reference.results);
  const refTotal = reference.results.length;
  const dist = distribution(results);
  const total = results.length;
  const present = prepared.variant !== null && total > 0;
  const refPresent = reference.variant !== null && refTotal > 0;
  const differs = !isReference && (present !== refPresent || (present && !sameDistribution(dist, total, refDist, refTotal)));
  const differsNote = differs ? `${referenceName}: ${refPresent ? distributionText(refDist, refTotal) : 'not run'}` : null;
  if (!present) return missingCell(column.view.letter, isReference, differs, differsNote);

  const decided = new Map<string, number>();
  for (const { result } of results) decided.set(result.decidedBy, (decided.get(result.decidedBy) ?? 0) + 1);
  const stats = ttkStats(results);
  const refStats = isReference ? null : ttkStats(reference.results);
  const row = column.summary.get(key(variantName, name));
  const differences = new Map<string, string>();
  for (const { result } of results) for (const d of result.differences) if (!differences.has(d.key)) differences.set(d.key, d.reason);
  return {
    letter: column.view.letter,
    present: true,
    runs: total,
    outcomes: [...dist.values()].map((entry) => ({
      outcome: entry.outcome,
      scope: entry.scope,
      tone: column.tones.get(entry.outcome) ?? 'neutral',
      count: entry.count,
      countText: total > 1 ? `×${entry.count} of ${total}` : '',
      pct: Math.round((entry.count / total) * 1000) / 10,
    })),
    decidedBy: [...decided].map(([by, count]) => (total > 1 ? `${by} ×${count}` : by)).join(', '),
    differs,
    differsNote,
    isReference,
    timeToKill: stats
      ? {
          median: stats.count > 1 ? `median ${formatDuration(stats.median)}` : formatDuration(stats.median),
          range: stats.count > 1 && formatDuration(stats.min) !== formatDuration(stats.max) ? `${formatDuration(stats.min)} – ${formatDuration(stats.max)}` : null,
          killed: total > 1 ? `${stats.count} of ${total} runs killed` : '',
          delta: refStats ? (Math.abs(stats.median - refStats.median) < 1 ? `same median as ${referenceName}` : `${signedDuration(stats.median - refStats.median)} vs ${referenceName}`) : null,
        }
      : null,
    peak: row?.peak ?? emptyPeak(),
    victims: victimGroups(results),
    notInForce: [...differences].map(([k, reason]) => ({ key: k, reason })),
    warnings: [...new Set(results.flatMap(({ result }) => result.warnings))],
  };
}

function settingRowsCompare(prepared: Prepared[], variantName: string, name: string): SettingCompareRow[] {
  const views = prepared.map((p) => (p.variant ? (p.column.settings.get(key(variantName, name)) ?? null) : null));
  const keys: string[] = [];
  for (const view of views) for (const row of view?.settings ?? []) if (!keys.includes(row.key)) keys.push(row.key);
  const first = views.find((view) => view !== null) ?? null;
  return keys.map((settingKey) => {
    const rows = views.map((view) => view?.settings.find((row) => row.key === settingKey) ?? null);
    const base = first?.settings.find((row) => row.key === settingKey) ?? rows.find((row) => row !== null) ?? null;
    return {
      key: settingKey,
      flag: base?.flag ?? null,
      requested: base?.requested ?? 'not set',
      requestedSet: base?.requestedSet ?? false,
      cells: rows.map((row, i) => ({
        effective: row ? row.effective : views[i] ? '—' : 'not run',
        tone: row?.tone ?? null,
        reason: row?.reason ?? null,
        present: views[i] !== null,
        requestedHere: row && base && row.requested !== base.requested ? `requested ${row.requested}` : null,
      })),
      anyDifference: rows.some((row) => row?.tone === 'warn'),
    };
  });
}

interface RepeatData {
  series: RepeatSeries;
  samples: number;
  points: number;
}

/** One repeat's series, downsampled with LTTB; the samples around each kill and the peak always survive. */
function repeatSeries(run: RunResult, result: ContainerResult, samples: SampleRecord[], times: Float64Array, perSeries: number, limits: Set<number>): RepeatData | null {
  if (samples.length === 0) return null;
  const t0 = times[0]!;
  const usage: Point[] = [];
  const swap: Point[] = [];
  let anySwap = false;
  let peakIndex = -1;
  for (let i = 0; i < samples.length; i++) {
    const sample = samples[i]!;
    const t = (times[i]! - t0) / 1000;
    if (sample.usageBytes !== null) {
      usage.push({ t, v: sample.usageBytes / MIB });
      if (peakIndex < 0 || sample.usageBytes / MIB > usage[peakIndex]!.v) peakIndex = usage.length - 1;
    }
    if (sample.swapBytes !== null) {
      swap.push({ t, v: sample.swapBytes / MIB });
      if (sample.swapBytes > 0) anySwap = true;
    }
    if (sample.limitBytes !== null && sample.limitBytes > 0) limits.add(sample.limitBytes);
  }
  const kills: TimelineKill[] = [];
  for (const kill of result.kills) {
    const time = killTime(kill);
    if (!time) continue;
    kills.push({ t: (time.ms - t0) / 1000, pid: kill.pid, comm: kill.comm, anonRssMiB: kill.anonRssKb === null ? null : kill.anonRssKb / 1024, timeSource: time.source });
  }
  const killTimes = kills.map((k) => k.t);
  const usageDrawn = downsampleLttb(usage, perSeries, [...anchorsAround(usage, killTimes), ...(peakIndex >= 0 ? [peakIndex] : [])]);
  const swapDrawn = anySwap ? downsampleLttb(swap, perSeries, anchorsAround(swap, killTimes)) : null;
  return {
    series: { run: run.index, outcome: result.outcome, usage: usageDrawn, swap: swapDrawn, kills },
    samples: samples.length,
    points: usageDrawn.length,
  };
}

function reservationOf(results: ReadonlyArray<{ result: ContainerResult }>, declared: VariantRecord['settings']['containers'][string] | undefined): number | null {
  for (const { result } of results) {
    const value = result.effective.memoryReservation;
    if (typeof value === 'number' && value > 0) return value;
  }
  const requested = declared?.requested.memoryReservation ?? results[0]?.result.requested.memoryReservation;
  return typeof requested === 'number' && requested > 0 ? requested : null;
}

function chartSize(columns: number): ChartSize {
  if (columns <= 1) return { width: 1000, height: 280 };
  if (columns === 2) return { width: 620, height: 250 };
  return { width: 480, height: 230 };
}

function chartsFor(prepared: Prepared[], name: string): ChartCell[] {
  const data = prepared.map((p) => {
    if (!p.variant || p.results.length === 0) return null;
    const perSeries = Math.min(MAX_POINTS_PER_SERIES, Math.max(MIN_POINTS_PER_REPEAT, Math.floor(CHART_POINT_BUDGET / p.results.length)));
    const limits = new Set<number>();
    const repeats: RepeatData[] = [];
    let sampleCount = 0;
    for (const { run, result } of p.results) {
      const { samples, times } = samplesInWindow(p.column.samples, name, run);
      sampleCount += samples.length;
      const repeat = repeatSeries(run, result, samples, times, perSeries, limits);
      if (repeat) repeats.push(repeat);
      else if (result.limitBytes !== null && result.limitBytes > 0) limits.add(result.limitBytes);
    }
    const limitsMiB = dropRepeats([...limits].sort((a, b) => a - b).map((v) => ({ t: 0, v: v / MIB }))).map((p) => p.v);
    const input: OverlayInput = {
      repeats: repeats.map((r) => r.series),
      limitsMiB,
      reservationMiB: (() => {
        const bytes = reservationOf(p.results, p.variant!.settings.containers[name]);
        return bytes === null ? null : bytes / MIB;
      })(),
      standInHostMiB: p.variant.settings.virtualHost ? p.variant.settings.virtualHost.memoryBytes / MIB : null,
    };
    return { input, repeats, sampleCount, runs: p.results.length };
  });
  const domain = overlayDomain(data.flatMap((d) => (d ? [d.input] : [])));
  const size = chartSize(prepared.length);
  return prepared.map((p, i) => {
    const d = data[i];
    const base = { letter: p.column.view.letter, label: p.column.view.label, isReference: p.column.view.isReference, present: d !== null, ...killReports(p) };
    if (!d) return { ...base, chart: null, series: [], note: 'Not run in this record.', caption: null };
    const chart = domain ? layoutOverlay(d.input, domain, size) : null;
    if (!chart) {
      const why = d.sampleCount === 0 ? 'no samples (the container ended before the first reading, or never started)' : 'too few usage readings to draw a line';
      return { ...base, chart: null, series: d.input.repeats, note: `No timeline: ${why}.`, caption: null };
    }
    const drawnPoints = d.repeats.reduce((sum, r) => sum + r.points, 0);
    const kills = d.input.repeats.reduce((sum, r) => sum + r.kills.length, 0);
    const parts = [
      d.runs > 1 ? `${d.repeats.length} of ${d.runs} runs overlaid` : '1 run',
      `${plural(d.sampleCount, 'sample')}${drawnPoints < d.sampleCount ? `, drawn from ${drawnPoints.toLocaleString('en-US')} points (LTTB; the samples around each kill and the peak kept)` : ''}`,
      plural(kills, 'kill'),
    ];
    return { ...base, chart, series: d.input.repeats, note: null, caption: `${parts.join(' · ')}.` };
  });
}

/** The kernel's reports of a record's kills of one container (the first few), and its output from one run. */
function killReports(p: Prepared): Pick<ChartCell, 'reports' | 'reportsTitle' | 'more' | 'logTail'> {
  const kills = p.results.flatMap(({ run, result }) => result.kills.map((kill) => ({ run, result, kill })));
  const shown = kills.slice(0, MAX_KILL_REPORTS);
  const reports = shown.map(({ run, result, kill }) => ({
    summary:
      `run #${run.index} · pid ${kill.pid} ${kill.comm}${kill.pid === result.mainPid ? ' (main process)' : ''} · oom_score_adj ${kill.oomScoreAdj ?? '—'} · scope ${kill.scope}` +
      ` · ${kill.kernelTime ? formatTimestamp(kill.kernelTime) : `seen ${formatTimestamp(kill.observedAt)} (no kernel time)`}`,
    text: kill.report.join('\n'),
    lines: kill.report.length,
  }));
  const more = kills.length > shown.length ? `${kills.length - shown.length} more kills; their reports are in run.json of ${p.column.record.runId}` : null;
  const withOutput = p.results.find(({ result }) => result.kills.length > 0 && result.logTail.length > 0) ?? p.results.find(({ result }) => result.logTail.length > 0);
  const logTail = withOutput
    ? { summary: `container output of run #${withOutput.run.index}, last ${plural(withOutput.result.logTail.length, 'line')}`, text: withOutput.result.logTail.join('\n') }
    : null;
  const reportsTitle = reports.length > 1 ? `kernel OOM reports: ${kills.length > reports.length ? `the first ${reports.length} of ${kills.length} kills` : `${reports.length} kills`}` : null;
  return { reports, reportsTitle, more, logTail };
}

/** Host sysctls the variant's runs set, per record: each distinct before → during → after, with how many runs saw it. */
function hostSysctlsOfVariant(columns: Column[], found: ReadonlyArray<{ variant: VariantRecord; index: number } | null>): VariantComparison['hostSysctls'] {
  const names: string[] = [];
  const perColumn = columns.map((column, i) => {
    const byName = new Map<string, Map<string, { text: string; count: number; tone: Tone | null; note: string | null }>>();
    const entry = found[i];
    if (!entry) return byName;
    for (const run of column.model.variants[entry.index]?.runs ?? []) {
      for (const sysctl of run.host?.sysctls ?? []) {
        if (!names.includes(sysctl.name)) names.push(sysctl.name);
        const text = `${sysctl.before} → ${sysctl.during} → ${sysctl.after}`;
        const entries = byName.get(sysctl.name) ?? new Map<string, { text: string; count: number; tone: Tone | null; note: string | null }>();
        const seen = entries.get(text);
        if (seen) seen.count++;
        else entries.set(text, { text, count: 1, tone: sysctl.tone, note: sysctl.note });
        byName.set(sysctl.name, entries);
      }
    }
    return byName;
  });
  return names.map((name) => ({
    name,
    cells: perColumn.map((byName, i) => ({
      entries: [...(byName.get(name)?.values() ?? [])].map((e) => ({
        text: e.text,
        count: (found[i]?.variant.runs.length ?? 0) > 1 ? `×${e.count}` : null,
        tone: e.tone,
        note: e.note,
      })),
    })),
  }));
}

function factRows(columns: Column[], reference: Column, pick: (column: Column) => Array<{ label: string; value: string; note: string | null; tone: Tone | null }>): FactCompareRow[] {
  const facts = columns.map(pick);
  const labels: string[] = [];
  for (const list of facts) for (const fact of list) if (!labels.includes(fact.label)) labels.push(fact.label);
  const refFacts = facts[columns.indexOf(reference)]!;
  return labels.map((label) => {
    const ref = refFacts.find((f) => f.label === label);
    return {
      label,
      cells: facts.map((list) => {
        const fact = list.find((f) => f.label === label);
        return {
          value: fact?.value ?? '—',
          note: fact?.note ?? null,
          tone: fact?.tone ?? null,
          differs: (fact?.value ?? null) !== (ref?.value ?? null),
        };
      }),
    };
  });
}

function scenarioComparison(name: string, columns: Column[], index: number, hasBaseline: boolean, baselineScenario: string | null): ScenarioComparison {
  const anchor = `s${index}`;
  const reference = columns[0]!;
  reference.view.isReference = true;
  const referenceName = reference.view.isBaseline ? 'baseline' : reference.view.letter;
  const variantNames: string[] = [];
  for (const column of columns) for (const variant of column.record.variants) if (!variantNames.includes(variant.name)) variantNames.push(variant.name);

  let differingCells = 0;
  const variants: VariantComparison[] = variantNames.map((variantName, vi) => {
    const found = columns.map((column) => column.variants.get(variantName) ?? null);
    const names: string[] = [];
    for (const f of found) for (const n of f ? containerNames(f.variant) : []) if (!names.includes(n)) names.push(n);
    const first = found.find((f) => f !== null)!.variant;
    const containers = names.map((containerName, ci) => {
      const prepared: Prepared[] = columns.map((column, i) => ({
        column,
        variant: found[i]?.variant ?? null,
        results: found[i] ? resultsOf(found[i]!.variant, containerName) : [],
      }));
      const cells = prepared.map((p) => cell(p, prepared[0]!, variantName, containerName, referenceName));
      const anyDiffers = cells.some((c) => c.differs);
      differingCells += cells.filter((c) => c.differs).length;
      const charts = chartsFor(prepared, containerName);
      const settings = settingRowsCompare(prepared, variantName, containerName);
      const notInForce = settings.filter((row) => row.anyDifference).map((row) => row.key);
      const drawn = charts.flatMap((c) => (c.chart ? [c.chart] : []));
      return {
        anchor: `${anchor}-v${vi}-c${ci}`,
        name: containerName,
        firstOfVariant: ci === 0,
        cells,
        anyDiffers,
        settings,
        settingsDiffer: notInForce.length > 0,
        settingsSummary:
          settings.length === 0 ? 'none requested or read' : notInForce.length === 0 ? 'all in force as requested' : `not in force: ${notInForce.join(', ')}`,
        charts,
        legend: {
          swap: drawn.some((c) => c.swap.length > 0),
          limit: drawn.some((c) => c.lines.some((l) => l.kind === 'limit')),
          reservation: drawn.some((c) => c.lines.some((l) => l.kind === 'reservation')),
          standin: drawn.some((c) => c.lines.some((l) => l.kind === 'standin')),
          kills: drawn.some((c) => c.kills.length > 0),
          dots: drawn.some((c) => c.hasDots),
        },
      };
    });
    const standIns = columns.map((column, i) => {
      const vh = found[i]?.variant.settings.virtualHost ?? null;
      return { letter: column.view.letter, present: found[i] !== null, text: vh ? `${formatBytes(vh.memoryBytes)} memory, ${vh.memorySwapBytes === null ? 'swap not limited' : `${formatBytes(vh.memorySwapBytes)} memory+swap`}` : 'none' };
    });
    const ran = standIns.filter((x) => x.present);
    const refStandIn = standIns[0]!.present ? standIns[0]!.text : (ran[0]?.text ?? 'none');
    const standInHost = ran.every((x) => x.text === refStandIn)
      ? refStandIn === 'none'
        ? []
        : [{ letter: null, text: refStandIn, differs: false }]
      : ran.map((x) => ({ letter: x.letter, text: x.text, differs: x.text !== refStandIn }));
    return {
      anchor: `${anchor}-v${vi}`,
      name: variantName,
      description: first.description,
      matrix: Object.entries(first.matrix).map(([k, value]) => ({ key: k, value: String(value) })),
      standInHost,
      containers,
      rowspan: Math.max(1, containers.length * 5),
      hostSysctls: hostSysctlsOfVariant(columns, found),
    };
  });

  const hostFacts = factRows(columns, reference, (column) => [
    ...column.model.host.facts.map((f) => ({ label: f.label, value: f.value, note: f.note, tone: f.tone })),
    { label: 'engine', value: column.model.engine, note: null, tone: null },
  ]);
  const hostSysctls = factRows(columns, reference, (column) => column.model.host.sysctls.map((s) => ({ label: s.name, value: s.value, note: null, tone: null })));
  let note: string | null = null;
  if (hasBaseline && baselineScenario !== name) note = `The baseline is of scenario ${baselineScenario ?? '—'}; here the columns are compared against the first one, ${reference.view.letter}.`;
  const description = columns.find((c) => c.record.description)?.record.description ?? null;
  return {
    anchor,
    name,
    description,
    columns: columns.map((c) => c.view),
    columnsText: plural(columns.length, 'run record'),
    referenceLetter: reference.view.letter,
    referenceName: reference.view.isBaseline ? 'the baseline' : `${reference.view.letter}, the first run given`,
    note,
    variants,
    hostFacts,
    hostSysctls,
    differingCells,
  };
}

/** Builds the comparison report's view model. Pure. */
export function buildComparisonReportModel(runs: readonly ComparisonRun[], options: ComparisonOptions = {}): ComparisonReportModel {
  const baseline = options.baseline ?? null;
  // A run given both as the baseline and among the runs is shown once, as the baseline.
  const sameRecord = (a: RunRecord, b: RunRecord) => a === b || (a.runId === b.runId && a.scenario === b.scenario && a.startedAt === b.startedAt);
  const others = baseline ? runs.filter((run) => !sameRecord(run.record, baseline.record)) : [...runs];
  const groups = new Map<string, Array<{ input: ComparisonRun; isBaseline: boolean }>>();
  if (baseline) groups.set(baseline.record.scenario, [{ input: baseline, isBaseline: true }]);
  for (const input of others) {
    const group = groups.get(input.record.scenario);
    if (group) group.push({ input, isBaseline: false });
    else groups.set(input.record.scenario, [{ input, isBaseline: false }]);
  }
  const scenarios = [...groups].map(([name, members], si) => {
    const columns = members.map((member, ci) => prepareColumn(member.input, letterFor(ci), `s${si}-col${ci}`, member.isBaseline));
    return scenarioComparison(name, columns, si, baseline !== null, baseline?.record.scenario ?? null);
  });

  const all = [...(baseline ? [baseline] : []), ...others];
  const results = all.flatMap((input) => input.record.variants.flatMap((variant) => variant.runs.flatMap((run) => run.containers)));
  const runCount = all.reduce((sum, input) => sum + input.record.variants.reduce((s, v) => s + v.runs.length, 0), 0);
  const sampleCount = all.reduce((sum, input) => sum + input.samples.length, 0);
  const killCount = results.reduce((sum, result) => sum + result.kills.length, 0);
  const differingCells = scenarios.reduce((sum, s) => sum + s.differingCells, 0);
  const seen = new Set(results.map((r) => r.outcome));
  const tones = new Map<string, Tone>();
  for (const s of scenarios) for (const v of s.variants) for (const c of v.containers) for (const x of c.cells) for (const o of x.outcomes) tones.set(o.outcome, o.tone);

  const differences: DifferenceView[] = [];
  for (const scenario of scenarios) {
    for (const variant of scenario.variants) {
      for (const container of variant.containers) {
        container.cells.forEach((c, i) => {
          if (!c.differs) return;
          const column = scenario.columns[i]!;
          differences.push({
            scenario: scenario.name,
            variant: variant.name,
            container: container.name,
            anchor: container.anchor,
            column: `${column.letter} · ${column.label}`,
            reference: c.differsNote ?? '',
            outcomes: c.present ? c.outcomes.map((o) => `${o.outcome}${o.scope ? ` (${o.scope})` : ''}${o.countText ? ` ${o.countText}` : ''}`).join(', ') : 'not run',
          });
        });
      }
    }
  }

  const records = all.length;
  return {
    title: `oomlab comparison · ${[...groups.keys()].join(', ') || 'no runs'}`,
    subtitle: `${plural(records, 'run record')} of ${plural(groups.size, 'scenario')}`,
    totals: [
      { label: 'run records', value: String(records), tone: null },
      { label: 'scenarios', value: String(groups.size), tone: null },
      { label: 'runs', value: runCount.toLocaleString('en-US'), tone: null },
      { label: 'OOM kills', value: killCount.toLocaleString('en-US'), tone: null },
      { label: 'samples', value: sampleCount.toLocaleString('en-US'), tone: null },
      { label: baseline ? 'outcome changes vs baseline' : 'outcome changes vs first', value: String(differingCells), tone: differingCells > 0 ? 'warn' : 'ok' },
    ],
    baseline: baseline ? `${baseline.label ?? `${baseline.record.runId} · ${baseline.record.host.kernel}`} (scenario ${baseline.record.scenario})` : null,
    differences,
    scenarios,
    empty: records === 0,
    glossary: {
      outcomes: [...seen].sort().map((outcome) => ({ outcome, meaning: OUTCOME_MEANINGS[outcome as Outcome] ?? '', tone: tones.get(outcome) ?? 'neutral' })),
      scopes: Object.entries(SCOPE_MEANINGS).map(([scope, meaning]) => ({ scope, meaning })),
    },
  };
}
