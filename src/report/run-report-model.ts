/**
 * The view model of a run report: everything report.html shows, already worded and formatted,
 * with no HTML in it. Pure: the same record and samples always give the same model. The template
 * escapes every string; a multi-run comparison can build on the same model.
 */
import { indexSamples, killTime, samplesInWindow, type ContainerSamples } from './sample-index.ts';
import type { SampleRecord } from '../observe/cgroup-sampler.ts';
import { OUTCOMES, OUTCOME_MEANINGS, type KillScope, type Outcome } from '../outcome/outcomes.ts';
import type { DecidedBy } from '../outcome/classify.ts';
import { MEMORY_SETTING_KEYS, type MemorySettings } from '../plan/plan.ts';
import type { SettingDifference } from '../evidence/settings-diff.ts';
import type { ContainerResult, KillRecord, RunRecord, RunResult, VariantRecord } from '../record/run-record.ts';
import { formatBytes } from '../units/size.ts';
import { formatDuration } from '../units/duration.ts';
import { downsampleMinMax, dropRepeats, layoutTimeline, MAX_POINTS_PER_SERIES, type Point, type TimelineChart, type TimelineSeries } from './timeline.ts';

/** A colour family for badges, rows and facts. */
export type Tone = 'ok' | 'fail' | 'warn' | 'info' | 'muted' | 'neutral';

export interface Badge {
  text: string;
  tone: Tone;
}

export interface Fact {
  label: string;
  value: string;
  tone: Tone | null;
  note: string | null;
}

export interface OutcomeCount {
  outcome: string;
  tone: Tone;
  count: number;
  /** "×2 of 3" when the variant had several runs; null for a single run. */
  countText: string | null;
  /** Kill scopes seen with this outcome, joined ("parent", "container/parent"); null when none. */
  scope: string | null;
}

export interface VictimView {
  run: number;
  /** "#2" when the variant had several runs; null otherwise. */
  runLabel: string | null;
  pid: number;
  comm: string;
  oomScoreAdj: string;
  scope: string;
  /** Whether the victim was the container's main process. */
  isMain: boolean;
}

export interface DecisionView {
  decidedBy: string;
  reason: string;
  /** Which runs were decided so ("run #0, #2"); null when there was only one run. */
  runs: string | null;
}

export interface PeakView {
  text: string;
  /** What the peak is measured against when not the container's own limit ("stand-in host limit"). */
  boundNote: string | null;
  /** Peak as a share of the limit, 0–100 for a bar; null without both numbers. */
  pct: number | null;
  pctText: string | null;
  tone: Tone;
}

export interface Note {
  text: string;
  tone: Tone;
}

/** One row of the summary table: a container of a variant, over all its runs. */
export interface SummaryRow {
  variant: string;
  variantAnchor: string;
  firstOfVariant: boolean;
  variantRowspan: number;
  container: string;
  runs: number;
  outcomes: OutcomeCount[];
  expected: string | null;
  verdict: Badge;
  timeToKill: string;
  peak: PeakView;
  victims: VictimView[];
  decisions: DecisionView[];
  notes: Note[];
}

export interface SettingRow {
  key: string;
  flag: string | null;
  requested: string;
  requestedSet: boolean;
  effective: string;
  /** 'warn' when the requested value is not in force. */
  tone: Tone | null;
  reason: string | null;
}

export interface ContainerSettingsView {
  name: string;
  workload: string;
  image: string;
  command: string;
  settings: SettingRow[];
  differenceCount: number;
  /** The effective settings differed between runs; the table shows the first run's. */
  effectiveVaries: boolean;
  effectiveNote: string | null;
  warnings: string[];
}

export interface KillView {
  pid: number;
  comm: string;
  oomScoreAdj: string;
  scope: string;
  isMain: boolean;
  anonRss: string;
  kernelTime: string;
  observedAt: string;
  lag: string;
  invokedBy: string;
  cgroup: string;
  oomCgroup: string;
  constraint: string;
  reportText: string;
  reportLines: number;
}

export interface TimelineView {
  sampleCount: number;
  /** Shown instead of, or under, the chart. */
  note: string | null;
  chart: TimelineChart | null;
  /** The data the chart was drawn from (downsampled), for reuse by other reports. */
  series: TimelineSeries | null;
  caption: string | null;
}

export interface ContainerRunView {
  anchor: string;
  name: string;
  outcome: Badge;
  scope: string | null;
  decidedBy: string;
  reason: string;
  expected: string | null;
  verdict: Badge;
  facts: Fact[];
  notes: Note[];
  timeline: TimelineView;
  kills: KillView[];
  logTail: string | null;
  logTailLines: number;
}

/** The host's side of one run: knobs the run set, and what the host went through. */
export interface RunHostView {
  /** A host change the run needed and the host refused. */
  refused: string | null;
  sysctls: Array<{ name: string; before: string; during: string; after: string; tone: Tone | null; note: string | null }>;
  swap: Fact | null;
  facts: Fact[];
}

export interface RunView {
  anchor: string;
  index: number;
  startedAt: string;
  finishedAt: string;
  duration: string;
  verdict: Badge;
  /** null for records written before runs carried host data, or when there is nothing to show. */
  host: RunHostView | null;
  containers: ContainerRunView[];
}

export interface VariantView {
  anchor: string;
  name: string;
  description: string | null;
  matrix: Array<{ key: string; value: string }>;
  verdict: Badge;
  runCount: number;
  runCountText: string;
  timeout: string;
  standInHost: string | null;
  containers: ContainerSettingsView[];
  runs: RunView[];
}

export interface RunReportModel {
  title: string;
  scenario: string;
  description: string | null;
  scenarioFile: string;
  runId: string;
  startedAt: string;
  finishedAt: string;
  duration: string;
  engine: string;
  verdict: Badge;
  interrupted: string | null;
  totals: Fact[];
  host: { facts: Fact[]; sysctls: Array<{ name: string; value: string }> };
  summary: SummaryRow[];
  variants: VariantView[];
  glossary: {
    outcomes: Array<{ outcome: string; meaning: string; tone: Tone; seen: boolean }>;
    scopes: Array<{ scope: string; meaning: string }>;
    decidedBy: Array<{ decidedBy: string; meaning: string }>;
  };
}

const MIB = 1024 * 1024;

const OUTCOME_TONES: Record<Outcome, Tone> = {
  survived: 'ok',
  'oom-killed': 'fail',
  'child-oom-killed': 'warn',
  killed: 'fail',
  'alloc-failed': 'warn',
  'runtime-oom': 'warn',
  'oom-hung': 'info',
  exited: 'neutral',
  timeout: 'neutral',
  'start-failed': 'muted',
  error: 'muted',
};

export const SCOPE_MEANINGS: Record<KillScope, string> = {
  container: "the container's own memory limit was hit",
  parent: 'an ancestor cgroup\'s limit was hit (e.g. the stand-in host), not the container\'s own',
  global: 'the whole machine ran out of memory',
};

export const DECIDED_BY_MEANINGS: Record<DecidedBy, string> = {
  'kernel-log': "the kernel's OOM report in the kernel log",
  'cgroup-counter': "the cgroup's own OOM counters (oom_kill, under_oom)",
  'workload-output': 'what the workload printed (e.g. an allocation failure)',
  'exit-status': 'the exit code, with no OOM evidence either way',
  harness: 'the harness itself (it could not start or observe the container)',
};

const SETTING_ORDER: ReadonlyArray<keyof MemorySettings> = MEMORY_SETTING_KEYS;

const SETTING_FLAGS: Record<keyof MemorySettings, string> = {
  memory: '--memory',
  memorySwap: '--memory-swap',
  memoryReservation: '--memory-reservation',
  kernelMemory: '--kernel-memory',
  memorySwappiness: '--memory-swappiness',
  oomKillDisable: '--oom-kill-disable',
  oomScoreAdj: '--oom-score-adj',
  pidsLimit: '--pids-limit',
  cpus: '--cpus',
  cgroupParent: '--cgroup-parent',
  sysctls: '--sysctl',
};

function outcomeTone(outcome: string): Tone {
  return OUTCOME_TONES[outcome as Outcome] ?? 'neutral';
}

/** "2026-12-03T13:10:49.970Z" → "2026-12-03 13:10:49.970 UTC"; anything else unchanged. */
export function formatTimestamp(iso: string | null | undefined): string {
  if (!iso) return '—';
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d+)?)Z$/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

function between(fromIso: string, toIso: string): number | null {
  const from = Date.parse(fromIso);
  const to = Date.parse(toIso);
  return Number.isNaN(from) || Number.isNaN(to) ? null : to - from;
}

function passBadge(passed: boolean | null): Badge {
  if (passed === null) return { text: 'no expectation', tone: 'muted' };
  return passed ? { text: 'passed', tone: 'ok' } : { text: 'FAILED', tone: 'fail' };
}

/** A setting's value as a reader wants it: sizes in binary units, -1 as unlimited. */
export function formatSetting(key: keyof MemorySettings | string, value: unknown): string {
  if (value === undefined) return '—';
  if (value === null) return 'not in force';
  if (key === 'sysctls' && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([name, v]) => `${name}=${String(v)}`)
      .join(', ');
  }
  if (typeof value === 'number' && (key === 'memory' || key === 'memorySwap' || key === 'memoryReservation' || key === 'kernelMemory')) {
    if (value === -1) return 'unlimited';
    return key === 'memorySwap' ? `${formatBytes(value)} (memory+swap)` : formatBytes(value);
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Peak against the container's limit; without one, against the stand-in host's, when there is one. */
function peakView(peak: number | null, limit: number | null, standInHost: number | null = null): PeakView {
  if (peak === null) return { text: '—', boundNote: null, pct: null, pctText: null, tone: 'muted' };
  const bound = limit !== null && limit > 0 ? limit : standInHost !== null && standInHost > 0 ? standInHost : null;
  if (bound === null) return { text: formatBytes(peak), boundNote: 'no limit', pct: null, pctText: null, tone: 'neutral' };
  const share = (peak / bound) * 100;
  return {
    text: `${formatBytes(peak)} / ${formatBytes(bound)}`,
    boundNote: bound === limit ? null : 'vs the stand-in host (no container limit)',
    pct: Math.round(Math.min(100, Math.max(0, share)) * 10) / 10,
    pctText: `${share.toFixed(0)}%`,
    tone: share >= 99 ? 'fail' : share >= 80 ? 'warn' : 'ok',
  };
}

function timeToKillText(values: number[]): string {
  if (values.length === 0) return '—';
  if (values.length === 1) return formatDuration(values[0]);
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return `${formatDuration(sorted[0])} – ${formatDuration(sorted[sorted.length - 1])} (median ${formatDuration(median)}, ${values.length} kills)`;
}

function adjText(value: number | null): string {
  return value === null ? '—' : String(value);
}

function runsText(indexes: number[]): string {
  return indexes.map((i) => `#${i}`).join(', ');
}

/** Container names of a variant: those in its settings, then any that only appear in its runs. */
function containerNames(variant: VariantRecord): string[] {
  const names = Object.keys(variant.settings.containers);
  for (const run of variant.runs) for (const container of run.containers) if (!names.includes(container.name)) names.push(container.name);
  return names;
}

function differenceUnion(results: ContainerResult[]): SettingDifference[] {
  const byKey = new Map<string, SettingDifference>();
  for (const result of results) for (const difference of result.differences) if (!byKey.has(difference.key)) byKey.set(difference.key, difference);
  return [...byKey.values()];
}

function settingRows(requested: MemorySettings, effective: MemorySettings, differences: SettingDifference[]): SettingRow[] {
  const keys = new Set<string>([...Object.keys(requested), ...Object.keys(effective), ...differences.map((d) => d.key)]);
  const ordered = [...SETTING_ORDER.filter((key) => keys.has(key)), ...[...keys].filter((key) => !SETTING_ORDER.includes(key as keyof MemorySettings)).sort()];
  return ordered.map((key) => {
    const difference = differences.find((d) => d.key === key);
    const wanted = (requested as Record<string, unknown>)[key];
    const actual = difference ? difference.effective : (effective as Record<string, unknown>)[key];
    return {
      key,
      flag: SETTING_FLAGS[key as keyof MemorySettings] ?? null,
      requested: wanted === undefined ? 'not set' : formatSetting(key, wanted),
      requestedSet: wanted !== undefined,
      effective: formatSetting(key, actual),
      tone: difference ? 'warn' : null,
      reason: difference ? difference.reason : null,
    };
  });
}

function containerSettings(variant: VariantRecord, name: string): ContainerSettingsView {
  const declared = variant.settings.containers[name];
  const results = variant.runs.flatMap((run) => run.containers.filter((c) => c.name === name));
  const requested = declared?.requested ?? results[0]?.requested ?? {};
  const read = results.filter((r) => Object.keys(r.effective).length > 0);
  const effective = read[0]?.effective ?? {};
  const effectiveVaries = new Set(read.map((r) => JSON.stringify(r.effective))).size > 1;
  const differences = differenceUnion(results);
  const warnings = [...new Set(results.flatMap((r) => r.warnings))];
  let effectiveNote: string | null = null;
  if (results.length === 0) effectiveNote = 'no run of this variant finished, so nothing was read back';
  else if (read.length === 0) effectiveNote = 'no effective settings were read back (the container never started)';
  else if (effectiveVaries) effectiveNote = 'the effective settings differed between runs; shown are those of the first run that started';
  return {
    name,
    workload: declared?.workload ?? results[0]?.workload ?? '—',
    image: declared?.image ?? '—',
    command: declared ? declared.command.map((part) => (/^[\w@%+=:,./-]+$/.test(part) ? part : `'${part.replaceAll("'", "'\\''")}'`)).join(' ') : '—',
    settings: settingRows(requested, effective, differences),
    differenceCount: differences.length,
    effectiveVaries,
    effectiveNote,
    warnings,
  };
}

function summaryRows(variant: VariantRecord, variantAnchor: string): SummaryRow[] {
  const names = containerNames(variant);
  return names.map((name, i) => {
    const results = variant.runs.map((run) => ({ run, result: run.containers.find((c) => c.name === name) })).filter((x): x is { run: RunResult; result: ContainerResult } => x.result !== undefined);
    const counts = variant.outcomes[name] ?? {};
    const countEntries = Object.entries(counts).filter(([, count]) => (count ?? 0) > 0) as Array<[string, number]>;
    // Fall back to counting the runs when the record has no counts for this container.
    const entries: Array<[string, number]> =
      countEntries.length > 0
        ? countEntries
        : [...results.reduce((map, { result }) => map.set(result.outcome, (map.get(result.outcome) ?? 0) + 1), new Map<string, number>())];
    const outcomes: OutcomeCount[] = entries.map(([outcome, count]) => {
      const scopes = [...new Set(results.filter(({ result }) => result.outcome === outcome && result.scope).map(({ result }) => result.scope))];
      return { outcome, tone: outcomeTone(outcome), count, countText: variant.runs.length > 1 ? `×${count} of ${variant.runs.length}` : null, scope: scopes.length > 0 ? scopes.join('/') : null };
    });
    const expected = results.find(({ result }) => result.expected)?.result.expected ?? null;
    const anyFailed = results.some(({ result }) => result.passed === false);
    const anyExpectation = results.some(({ result }) => result.passed !== null) || expected !== null;
    const verdict: Badge = results.length === 0 ? { text: 'no run', tone: 'muted' } : anyExpectation ? passBadge(!anyFailed) : passBadge(null);
    const peaks = results.filter(({ result }) => result.peakMemoryBytes !== null);
    const highest = peaks.reduce<ContainerResult | null>((best, { result }) => (best === null || (result.peakMemoryBytes ?? 0) > (best.peakMemoryBytes ?? 0) ? result : best), null);
    const limit = highest?.limitBytes ?? results.find(({ result }) => result.limitBytes !== null)?.result.limitBytes ?? null;
    const victims: VictimView[] = results.flatMap(({ run, result }) =>
      result.kills.map((kill) => ({ run: run.index, runLabel: results.length > 1 ? `#${run.index}` : null, pid: kill.pid, comm: kill.comm, oomScoreAdj: adjText(kill.oomScoreAdj), scope: kill.scope, isMain: kill.pid === result.mainPid })),
    );
    const decisionMap = new Map<string, DecisionView & { indexes: number[] }>();
    for (const { run, result } of results) {
      const key = `${result.decidedBy}\u0000${result.reason}`;
      const existing = decisionMap.get(key);
      if (existing) existing.indexes.push(run.index);
      else decisionMap.set(key, { decidedBy: result.decidedBy, reason: result.reason, runs: null, indexes: [run.index] });
    }
    const decisions = [...decisionMap.values()].map(({ indexes, ...decision }) => ({ ...decision, runs: results.length > 1 ? runsText(indexes) : null }));
    const differences = differenceUnion(results.map(({ result }) => result));
    const warnings = new Set(results.flatMap(({ result }) => result.warnings));
    const disagreeing = results.filter(({ result }) => result.engineDisagrees);
    const notes: Note[] = [];
    if (differences.length > 0) notes.push({ text: `${differences.length} requested setting${differences.length > 1 ? 's' : ''} not in force: ${differences.map((d) => d.key).join(', ')}`, tone: 'warn' });
    if (warnings.size > 0) notes.push({ text: `${warnings.size} warning${warnings.size > 1 ? 's' : ''}`, tone: 'warn' });
    if (disagreeing.length > 0) {
      notes.push({
        text: `engine's OOMKilled flag disagrees in ${results.length > 1 ? `run ${runsText(disagreeing.map(({ run }) => run.index))}` : 'this run'} (the kernel's evidence wins)`,
        tone: 'info',
      });
    }
    return {
      variant: variant.name,
      variantAnchor,
      firstOfVariant: i === 0,
      variantRowspan: names.length,
      container: name,
      runs: results.length,
      outcomes,
      expected: expected ? expected.join(' | ') : null,
      verdict,
      timeToKill: timeToKillText(results.map(({ result }) => result.timeToKillMs).filter((ms): ms is number => ms !== null)),
      peak: peakView(highest?.peakMemoryBytes ?? null, limit, variant.settings.virtualHost?.memoryBytes ?? null),
      victims,
      decisions,
      notes,
    };
  });
}

/** The samples of one container in one run: same name, taken between the run's start and finish. */
export function samplesForRun(samples: ReadonlyMap<string, ContainerSamples>, run: Pick<RunResult, 'startedAt' | 'finishedAt'>, container: string): SampleRecord[] {
  return samplesInWindow(samples as Map<string, ContainerSamples>, container, run).samples;
}

function timelineView(result: ContainerResult, samples: SampleRecord[], standInHostBytes: number | null): TimelineView {
  const sampleCount = samples.length;
  if (sampleCount === 0) {
    const why =
      result.outcome === 'start-failed' ? 'the container never started' : result.outcome === 'error' ? 'the harness could not observe it' : 'the container ended before the first reading';
    return { sampleCount, note: `No samples: ${why}.`, chart: null, series: null, caption: null };
  }
  const t0 = Date.parse(samples[0]!.at);
  const seconds = (at: string) => (Date.parse(at) - t0) / 1000;
  if (sampleCount === 1) {
    const only = samples[0]!;
    return {
      sampleCount,
      note: `One sample only (usage ${formatBytes(only.usageBytes)} of ${only.limitBytes === null ? 'no limit' : formatBytes(only.limitBytes)}): the container ended before a second reading.`,
      chart: null,
      series: null,
      caption: null,
    };
  }
  const points = (pick: (sample: SampleRecord) => number | null): Point[] =>
    samples.flatMap((sample) => {
      const value = pick(sample);
      return value === null ? [] : [{ t: seconds(sample.at), v: value / MIB }];
    });
  const usage = downsampleMinMax(points((s) => s.usageBytes), MAX_POINTS_PER_SERIES);
  const swapRaw = points((s) => s.swapBytes);
  const swap = swapRaw.some((p) => p.v > 0) ? downsampleMinMax(swapRaw, MAX_POINTS_PER_SERIES) : null;
  const limitRaw = dropRepeats(points((s) => s.limitBytes));
  const limit = limitRaw.length > 0 ? downsampleMinMax(limitRaw, MAX_POINTS_PER_SERIES) : null;
  const kills = result.kills.flatMap((kill) => {
    const time = killTime(kill);
    if (!time) return [];
    return [{ t: (time.ms - t0) / 1000, pid: kill.pid, comm: kill.comm, anonRssMiB: kill.anonRssKb === null ? null : kill.anonRssKb / 1024, timeSource: time.source }];
  });
  const underOom: Array<{ from: number; to: number }> = [];
  samples.forEach((sample, i) => {
    if (sample.underOom !== true) return;
    const from = seconds(sample.at);
    const next = samples[i + 1];
    const to = next ? seconds(next.at) : from;
    const open = underOom[underOom.length - 1];
    if (open && samples[i - 1]?.underOom === true) open.to = to;
    else underOom.push({ from, to });
  });
  const series: TimelineSeries = { usage, swap, limit, standInHostMiB: standInHostBytes === null ? null : standInHostBytes / MIB, kills, underOom };
  const chart = layoutTimeline(series);
  const span = seconds(samples[sampleCount - 1]!.at);
  const parts = [`x: seconds since this container's first sample; ${sampleCount} samples over ${formatDuration(span * 1000)}`];
  if (usage.length < points((s) => s.usageBytes).length) parts.push(`drawn from ${usage.length} points (min/max kept)`);
  if (chart?.hasDots) parts.push("a dot marks the victim's anon-rss from the kernel report: sampling can miss a short spike");
  return {
    sampleCount,
    note: chart ? null : 'Too few usage readings to draw a line.',
    chart,
    series,
    caption: `${parts.join('; ')}.`,
  };
}

function killView(kill: KillRecord, mainPid: number | null): KillView {
  return {
    pid: kill.pid,
    comm: kill.comm,
    oomScoreAdj: adjText(kill.oomScoreAdj),
    scope: kill.scope,
    isMain: kill.pid === mainPid,
    anonRss: kill.anonRssKb === null ? '—' : formatBytes(kill.anonRssKb * 1024),
    kernelTime: kill.kernelTime ? formatTimestamp(kill.kernelTime) : 'unknown (no kernel timestamp)',
    observedAt: formatTimestamp(kill.observedAt),
    lag: kill.lagMs === null ? '—' : `${kill.lagMs} ms`,
    invokedBy: kill.invokedBy ?? '—',
    cgroup: kill.cgroup ?? '—',
    oomCgroup: kill.oomCgroup ?? (kill.scope === 'global' ? '— (global OOM)' : '—'),
    constraint: kill.constraint ?? '—',
    reportText: kill.report.join('\n'),
    reportLines: kill.report.length,
  };
}

function containerRunView(variantIndex: number, run: RunResult, result: ContainerResult, index: number, samples: ReadonlyMap<string, ContainerSamples>, standInHostBytes: number | null): ContainerRunView {
  const engineOom = result.oomKilled === null ? '—' : result.oomKilled ? 'true' : 'false';
  const facts: Fact[] = [
    { label: 'workload', value: result.workload, tone: null, note: null },
    { label: 'container id', value: result.id ? result.id.slice(0, 12) : '—', tone: null, note: null },
    { label: 'main pid', value: result.mainPid === null ? '—' : String(result.mainPid), tone: null, note: null },
    { label: 'exit code', value: result.exitCode === null ? '—' : String(result.exitCode), tone: null, note: null },
    {
      label: "engine's OOMKilled",
      value: engineOom,
      tone: result.engineDisagrees ? 'info' : null,
      note: result.engineDisagrees ? "disagrees with the outcome; the kernel's evidence wins" : null,
    },
    { label: 'time to kill', value: formatDuration(result.timeToKillMs), tone: null, note: null },
  ];
  const peak = peakView(result.peakMemoryBytes, result.limitBytes, standInHostBytes);
  facts.push({ label: 'peak / limit', value: peak.pctText ? `${peak.text} (${peak.pctText})` : peak.text, tone: null, note: peak.boundNote });
  // Fields that records from before they existed lack.
  const later = result as Partial<ContainerResult>;
  if (later.peakSwapBytes) facts.push({ label: 'peak swap', value: formatBytes(later.peakSwapBytes), tone: null, note: null });
  const report = later.workloadReport;
  if (report) {
    const amounts = [
      ['allocated', report.allocatedBytes],
      ['touched', report.touchedBytes],
      ['rss', report.rssBytes],
    ].filter((entry): entry is [string, number] => entry[1] !== null);
    facts.push({
      label: 'workload reported',
      value: amounts.length > 0 ? amounts.map(([name, bytes]) => `${name} ${formatBytes(bytes)}`).join(' · ') : 'no amounts',
      tone: null,
      note: report.events.length > 0 ? `events: ${report.events.join(' → ')}` : null,
    });
  }
  const notes: Note[] = [
    ...result.differences.map((d) => ({ text: `${d.key}: ${d.reason}`, tone: 'warn' as Tone })),
    ...result.warnings.map((warning) => ({ text: warning, tone: 'warn' as Tone })),
  ];
  return {
    anchor: `v${variantIndex}-r${run.index}-c${index}`,
    name: result.name,
    outcome: { text: result.outcome, tone: outcomeTone(result.outcome) },
    scope: result.scope,
    decidedBy: result.decidedBy,
    reason: result.reason,
    expected: result.expected ? result.expected.join(' | ') : null,
    verdict: passBadge(result.passed),
    facts,
    notes,
    timeline: timelineView(result, samplesForRun(samples, run, result.name), standInHostBytes),
    kills: result.kills.map((kill) => killView(kill, result.mainPid)),
    logTail: result.logTail.length > 0 ? result.logTail.join('\n') : null,
    logTailLines: result.logTail.length,
  };
}

function count(value: number | null): string | null {
  return value === null ? null : value.toLocaleString('en-US');
}

function runHostView(run: RunResult): RunHostView | null {
  // Records written before runs carried host data have no `host`.
  const host = (run as Partial<RunResult>).host;
  if (!host) return null;
  const sysctls = Object.entries(host.sysctls ?? {}).map(([name, v]) => {
    const notRestored = v.after !== null && v.before !== null && v.after !== v.before;
    const notSet = v.during === v.before;
    return {
      name,
      before: v.before ?? '—',
      during: v.during ?? '—',
      after: v.after ?? '—',
      tone: (notRestored ? 'fail' : null) as Tone | null,
      note: notRestored ? 'not restored' : notSet ? 'already at this value' : null,
    };
  });
  const swap: Fact | null = host.swap
    ? {
        label: 'swap file',
        value: `${formatBytes(host.swap.requestedBytes)} ${host.swap.enabled ? 'on' : 'not enabled'}`,
        tone: host.swap.enabled ? null : 'warn',
        note: host.swap.error,
      }
    : null;
  const summary = host.summary;
  const facts: Fact[] = [];
  const put = (label: string, value: string | null, tone: Tone | null = null, note: string | null = null) => {
    if (value !== null) facts.push({ label, value, tone, note });
  };
  if (summary && summary.samples > 0) {
    put('MemAvailable, lowest', summary.memAvailableMinBytes === null ? null : formatBytes(summary.memAvailableMinBytes));
    put('MemFree, lowest', summary.memFreeMinBytes === null ? null : formatBytes(summary.memFreeMinBytes));
    if (summary.committedAsMaxBytes !== null) {
      put(
        'Committed_AS',
        `${formatBytes(summary.committedAsStartBytes)} → max ${formatBytes(summary.committedAsMaxBytes)}`,
        summary.commitLimitBytes !== null && summary.committedAsMaxBytes > summary.commitLimitBytes ? 'info' : null,
        summary.commitLimitBytes === null ? null : `CommitLimit ${formatBytes(summary.commitLimitBytes)}`,
      );
    }
    put('swap used, highest', summary.swapUsedMaxBytes === null ? null : formatBytes(summary.swapUsedMaxBytes));
    put('host OOM kills', count(summary.oomKills), summary.oomKills ? 'info' : null, 'vmstat oom_kill, during the run');
    const reclaim = [
      ['pgscan', summary.pgscan],
      ['pgsteal', summary.pgsteal],
      ['allocstall', summary.allocstall],
    ].filter((entry): entry is [string, number] => entry[1] !== null);
    put('reclaim', reclaim.length > 0 ? reclaim.map(([name, value]) => `${name} ${count(value)}`).join(' · ') : null);
    put('memory pressure', summary.pressureSomeMaxAvg10 === null ? null : `${summary.pressureSomeMaxAvg10}%`, null, 'PSI some avg10, highest');
    if (summary.watermarks) {
      const w = summary.watermarks;
      put('watermarks', `min ${formatBytes(w.minBytes)} · low ${formatBytes(w.lowBytes)} · high ${formatBytes(w.highBytes)}`);
    }
    put('host samples', String(summary.samples));
  }
  if (!host.refused && sysctls.length === 0 && !swap && facts.length === 0) return null;
  return { refused: host.refused ?? null, sysctls, swap, facts };
}

function variantView(variant: VariantRecord, index: number, samples: ReadonlyMap<string, ContainerSamples>): VariantView {
  const anchor = `v${index}`;
  const vh = variant.settings.virtualHost;
  return {
    anchor,
    name: variant.name,
    description: variant.description,
    matrix: Object.entries(variant.matrix).map(([key, value]) => ({ key, value: String(value) })),
    verdict: variant.runs.length === 0 ? { text: 'no run', tone: 'muted' } : passBadge(variant.passed),
    runCount: variant.runs.length,
    runCountText: variant.runs.length === 1 ? '1 run' : `${variant.runs.length} runs`,
    timeout: formatDuration(variant.settings.timeoutMs),
    standInHost: vh
      ? `${formatBytes(vh.memoryBytes)} memory, ${vh.memorySwapBytes === null ? 'swap not limited' : `${formatBytes(vh.memorySwapBytes)} memory+swap`}`
      : null,
    containers: containerNames(variant).map((name) => containerSettings(variant, name)),
    runs: variant.runs.map((run) => ({
      anchor: `${anchor}-r${run.index}`,
      index: run.index,
      startedAt: formatTimestamp(run.startedAt),
      finishedAt: formatTimestamp(run.finishedAt),
      duration: formatDuration(run.durationMs),
      verdict: passBadge(run.passed),
      host: runHostView(run),
      containers: run.containers.map((result, i) => containerRunView(index, run, result, i, samples, vh?.memoryBytes ?? null)),
    })),
  };
}

/** Host facts that records from before they existed lack. */
function optionalHostFacts(host: Partial<RunRecord['host']>): Fact[] {
  const facts: Fact[] = [];
  if (host.sysctlsWritable !== undefined) {
    facts.push({
      label: 'vm sysctls writable',
      value: host.sysctlsWritable ? 'yes' : 'no',
      tone: host.sysctlsWritable ? null : 'warn',
      note: host.sysctlsWritable ? null : 'variants that set host sysctls are refused',
    });
  }
  if (host.harnessOomScoreAdj !== undefined) {
    const adj = host.harnessOomScoreAdj;
    facts.push({
      label: "harness's oom_score_adj",
      value: adj === null ? 'unknown' : String(adj),
      tone: adj === -1000 ? null : 'warn',
      note: adj === -1000 ? 'never an OOM victim' : 'the harness itself could be picked in a host-wide OOM',
    });
  }
  return facts;
}

/** Builds the whole report's view model from a run record and its memory samples. Pure. */
export function buildRunReportModel(record: RunRecord, samples: readonly SampleRecord[]): RunReportModel {
  // Indexed once: every run's window is then a binary search, not a pass over all samples.
  const sampleIndex = indexSamples(samples);
  const host = record.host;
  const runs = record.variants.flatMap((variant) => variant.runs);
  const results = runs.flatMap((run) => run.containers);
  const kills = results.reduce((sum, result) => sum + result.kills.length, 0);
  const failed = results.filter((result) => result.passed === false).length;
  const seen = new Set(results.map((result) => result.outcome));
  const duration = between(record.startedAt, record.finishedAt);
  const kernelLogFact: Fact =
    host.kernelLog === 'none'
      ? { label: 'kernel log', value: 'none', tone: 'warn', note: `${host.kernelLogProblem ?? 'unreadable'}; outcomes fall back to the cgroups' OOM counters` }
      : { label: 'kernel log', value: host.kernelLog, tone: null, note: host.kernelLogProblem };
  return {
    title: `oomlab · ${record.scenario} · ${record.runId}`,
    scenario: record.scenario,
    description: record.description,
    scenarioFile: record.scenarioFile,
    runId: record.runId,
    startedAt: formatTimestamp(record.startedAt),
    finishedAt: formatTimestamp(record.finishedAt),
    duration: formatDuration(duration),
    engine: `${record.engine.name} ${record.engine.version}${record.engine.cgroupDriver ? ` (cgroup driver: ${record.engine.cgroupDriver})` : ''}`,
    verdict: record.interrupted ? { text: record.passed ? 'interrupted' : 'interrupted · FAILED', tone: record.passed ? 'warn' : 'fail' } : passBadge(record.passed),
    interrupted: record.interrupted,
    totals: [
      { label: 'variants', value: String(record.variants.length), tone: null, note: null },
      { label: 'runs', value: String(runs.length), tone: null, note: null },
      { label: 'containers run', value: String(results.length), tone: null, note: null },
      { label: 'OOM kills', value: String(kills), tone: null, note: null },
      { label: 'failed expectations', value: String(failed), tone: failed > 0 ? 'fail' : null, note: null },
    ],
    host: {
      facts: [
        { label: 'kernel', value: host.kernel, tone: null, note: null },
        { label: 'cgroup version', value: `v${host.cgroupVersion}`, tone: null, note: null },
        { label: 'memory', value: formatBytes(host.memTotalBytes), tone: null, note: `${formatBytes(host.memAvailableBytes)} available at start` },
        { label: 'swap', value: host.swapTotalBytes > 0 ? formatBytes(host.swapTotalBytes) : 'none', tone: null, note: null },
        {
          label: 'swap accounting',
          value: host.swapAccounting ? 'yes' : 'no',
          tone: host.swapAccounting ? null : 'warn',
          note: host.swapAccounting ? null : 'memory+swap limits are discarded',
        },
        kernelLogFact,
        {
          label: 'CAP_SYS_RESOURCE',
          value: host.canLowerOomScoreAdj ? 'yes' : 'no',
          tone: host.canLowerOomScoreAdj ? null : 'warn',
          note: host.canLowerOomScoreAdj ? 'negative oom_score_adj can be set' : 'a negative oom_score_adj is refused',
        },
        ...optionalHostFacts(host),
      ],
      sysctls: Object.entries(host.sysctls).map(([name, value]) => ({ name, value })),
    },
    summary: record.variants.flatMap((variant, i) => summaryRows(variant, `v${i}`)),
    variants: record.variants.map((variant, i) => variantView(variant, i, sampleIndex)),
    glossary: {
      outcomes: OUTCOMES.map((outcome) => ({ outcome, meaning: OUTCOME_MEANINGS[outcome], tone: outcomeTone(outcome), seen: seen.has(outcome) })),
      scopes: Object.entries(SCOPE_MEANINGS).map(([scope, meaning]) => ({ scope, meaning })),
      decidedBy: Object.entries(DECIDED_BY_MEANINGS).map(([decidedBy, meaning]) => ({ decidedBy, meaning })),
    },
  };
}
