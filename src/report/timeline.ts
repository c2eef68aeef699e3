/**
 * Memory timelines for the report: downsampling and chart geometry. Pure; the SVG itself is drawn
 * by the template from the geometry here, so every piece of text in it goes through escaping.
 */

/** One point of a series: `t` in seconds since the container's first sample, `v` in MiB. */
export interface Point {
  t: number;
  v: number;
}

export interface TimelineKill {
  /** Seconds since the container's first sample. */
  t: number;
  pid: number;
  comm: string;
  /** The victim's anon-rss from the kernel report, in MiB; null when the report had none. */
  anonRssMiB: number | null;
  /** Where `t` comes from: the kernel log timestamp, or (fallback) when the harness saw the kill. */
  timeSource: 'kernel' | 'observed';
}

/** A container's memory over one run, in chartable units. */
export interface TimelineSeries {
  usage: Point[];
  /** null when the container never used swap. */
  swap: Point[] | null;
  /** The cgroup's limit as sampled; null when unlimited or never read. */
  limit: Point[] | null;
  /** The stand-in host's memory limit, in MiB, when the variant ran under one. */
  standInHostMiB: number | null;
  kills: TimelineKill[];
  /** Spans (seconds) in which the cgroup sat under_oom (cgroup v1 with the OOM killer disabled). */
  underOom: Array<{ from: number; to: number }>;
}

export interface ChartTick {
  /** Position along the axis, in SVG units. */
  at: number;
  label: string;
}

export interface ChartKillMarker {
  x: number;
  label: string;
  labelY: number;
  /** Tooltip text. */
  title: string;
  /** The victim's anon-rss at the kill, as a dot; null when unknown. */
  dot: { x: number; y: number } | null;
}

/** SVG geometry for one timeline; every number is in SVG user units. */
export interface TimelineChart {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number; width: number; height: number };
  usagePath: string;
  usageArea: string;
  swapPath: string | null;
  limitPath: string | null;
  limitLabel: { x: number; y: number; text: string } | null;
  standInHost: { y: number; x: number; labelY: number; text: string } | null;
  xTicks: ChartTick[];
  yTicks: ChartTick[];
  kills: ChartKillMarker[];
  hasDots: boolean;
  /** Shaded spans where the cgroup sat under_oom. */
  underOomBands: Array<{ x: number; width: number }>;
}

export const MAX_POINTS_PER_SERIES = 500;

/**
 * Reduces a series to at most `maxPoints` by splitting it into buckets and keeping each bucket's
 * minimum and maximum (in time order), plus the first and last point; so the global extremes survive.
 */
export function downsampleMinMax(points: readonly Point[], maxPoints = MAX_POINTS_PER_SERIES): Point[] {
  const limit = Math.max(4, Math.floor(maxPoints));
  if (points.length <= limit) return [...points];
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const inner = points.slice(1, -1);
  const buckets = Math.floor((limit - 2) / 2);
  const out: Point[] = [first];
  for (let bucket = 0; bucket < buckets; bucket++) {
    const start = Math.floor((bucket * inner.length) / buckets);
    const end = Math.floor(((bucket + 1) * inner.length) / buckets);
    if (end <= start) continue;
    let minIndex = start;
    let maxIndex = start;
    for (let i = start + 1; i < end; i++) {
      if (inner[i]!.v < inner[minIndex]!.v) minIndex = i;
      if (inner[i]!.v > inner[maxIndex]!.v) maxIndex = i;
    }
    if (minIndex === maxIndex) out.push(inner[minIndex]!);
    else out.push(inner[Math.min(minIndex, maxIndex)]!, inner[Math.max(minIndex, maxIndex)]!);
  }
  out.push(last);
  return out;
}

/** Drops points that repeat the previous value (keeping the last), for step-like series such as a limit. */
export function dropRepeats(points: readonly Point[]): Point[] {
  const out: Point[] = [];
  points.forEach((point, i) => {
    const previous = points[i - 1];
    if (!previous || previous.v !== point.v || i === points.length - 1) out.push(point);
  });
  return out;
}

/** A round step that splits `range` into about `target` parts: 1, 2 or 5 × 10^n. */
export function niceStep(range: number, target = 5): number {
  if (!(range > 0) || !Number.isFinite(range)) return 1;
  const raw = range / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / magnitude;
  return (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * magnitude;
}

/** A tick value with as many decimals as its step needs. */
export function tickLabel(value: number, step: number): string {
  const decimals = step >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(step)));
  return value.toFixed(decimals);
}

/** Round tick values from `min` to `max`, about `target` of them. */
export function ticks(min: number, max: number, target: number): number[] {
  const step = niceStep(max - min, target);
  const out: number[] = [];
  for (let value = Math.ceil(min / step - 1e-9) * step; value <= max + step * 1e-9; value += step) out.push(Math.round(value / step) * step);
  return out;
}

const round = (value: number) => Math.round(value * 10) / 10;

function formatMiB(value: number): string {
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} MiB`;
}

export interface ChartSize {
  width: number;
  height: number;
}

export interface Margin {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The drawing area of a chart of this size inside these margins. */
export function plotArea(size: ChartSize, margin: Margin) {
  return {
    left: margin.left,
    top: margin.top,
    right: size.width - margin.right,
    bottom: size.height - margin.bottom,
    width: size.width - margin.left - margin.right,
    height: size.height - margin.top - margin.bottom,
  };
}

/** Lays out a timeline as SVG geometry; null when there is nothing to draw (fewer than two usage points). */
export function layoutTimeline(series: TimelineSeries, size: ChartSize = { width: 760, height: 250 }): TimelineChart | null {
  if (series.usage.length < 2) return null;
  const margin = { left: 54, right: 18, top: 26, bottom: 36 };
  const plot = plotArea(size, margin);
  const all = [...series.usage, ...(series.swap ?? []), ...(series.limit ?? [])];
  const times = [...all.map((p) => p.t), ...series.kills.map((k) => k.t)];
  let tMin = Math.min(0, ...times);
  let tMax = Math.max(...times);
  if (!(tMax > tMin)) tMax = tMin + 1;
  const values = [...all.map((p) => p.v), ...series.kills.map((k) => k.anonRssMiB ?? 0), series.standInHostMiB ?? 0];
  let vMax = Math.max(...values) * 1.08;
  if (!(vMax > 0)) vMax = 1;
  const yStep = niceStep(vMax, 5);
  vMax = Math.ceil(vMax / yStep - 1e-9) * yStep;
  // Keep a little room at the right so a kill at the very end stays visible.
  tMax = tMax + (tMax - tMin) * 0.02;
  tMin = tMin === 0 ? 0 : tMin - (tMax - tMin) * 0.02;

  const x = (t: number) => round(plot.left + ((t - tMin) / (tMax - tMin)) * plot.width);
  const y = (v: number) => round(plot.bottom - (v / vMax) * plot.height);
  const path = (points: readonly Point[]) => points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t)},${y(p.v)}`).join(' ');

  const usagePath = path(series.usage);
  const firstUsage = series.usage[0]!;
  const lastUsage = series.usage[series.usage.length - 1]!;
  const usageArea = `${usagePath} L${x(lastUsage.t)},${plot.bottom} L${x(firstUsage.t)},${plot.bottom} Z`;

  const limit = series.limit && series.limit.length > 0 ? series.limit : null;
  // A single limit reading still deserves a line across the samples.
  const limitPoints = limit && limit.length === 1 ? [limit[0]!, { t: lastUsage.t, v: limit[0]!.v }] : limit;
  const lastLimit = limitPoints ? limitPoints[limitPoints.length - 1]! : null;

  const killMarkers: ChartKillMarker[] = series.kills.map((kill) => ({
    x: x(kill.t),
    label: `kill ${kill.pid}`,
    labelY: plot.top - 8,
    title:
      `OOM kill of pid ${kill.pid} (${kill.comm}) at +${kill.t.toFixed(2)} s` +
      (kill.timeSource === 'kernel' ? ' (kernel log time)' : ' (time the harness saw it; no kernel time)') +
      (kill.anonRssMiB !== null ? `; anon-rss ${formatMiB(kill.anonRssMiB)}` : ''),
    dot: kill.anonRssMiB !== null ? { x: x(kill.t), y: y(kill.anonRssMiB) } : null,
  }));
  // Stagger labels of kills that would overlap.
  killMarkers.forEach((marker, i) => {
    const previous = killMarkers[i - 1];
    if (previous && marker.x - previous.x < 70 && previous.labelY === plot.top - 8) marker.labelY = plot.top - 18;
    else marker.labelY = plot.top - 8;
  });

  // Labels sit at the left end of their lines: kills tend to be at the right.
  const firstLimit = limitPoints ? limitPoints[0]! : null;
  const standInHost =
    series.standInHostMiB !== null
      ? { y: y(series.standInHostMiB), x: plot.left + 4, labelY: y(series.standInHostMiB) - 4, text: `stand-in host ${formatMiB(series.standInHostMiB)}` }
      : null;
  let limitLabel = firstLimit && lastLimit ? { x: x(firstLimit.t) + 4, y: y(firstLimit.v) - 4, text: `limit ${formatMiB(lastLimit.v)}` } : null;
  // Move the limit label below its line when it would sit on the stand-in host's label.
  if (limitLabel && standInHost && Math.abs(limitLabel.y - standInHost.labelY) < 12) limitLabel = { ...limitLabel, y: limitLabel.y + 16 };

  return {
    width: size.width,
    height: size.height,
    plot,
    usagePath,
    usageArea,
    swapPath: series.swap && series.swap.length > 0 ? path(series.swap) : null,
    limitPath: limitPoints ? path(limitPoints) : null,
    limitLabel,
    standInHost,
    xTicks: ticks(tMin, tMax, 8).map((t) => ({ at: x(t), label: `${tickLabel(t, niceStep(tMax - tMin, 8))} s` })),
    yTicks: ticks(0, vMax, 5).map((v) => ({ at: y(v), label: tickLabel(v, yStep) })),
    kills: killMarkers,
    hasDots: killMarkers.some((marker) => marker.dot !== null),
    underOomBands: series.underOom.map((span) => ({ x: x(span.from), width: Math.max(1, round(x(span.to) - x(span.from))) })),
  };
}
