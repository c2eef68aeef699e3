/**
 * Chart geometry for the comparison report: the repeats of one variant's container on one run
 * record, overlaid on shared axes, so charts side by side compare at a glance. Pure; the SVG is
 * drawn by the template, so all text in it is escaped.
 */
import { niceStep, plotArea, tickLabel, ticks, type ChartSize, type ChartTick, type Point, type TimelineKill } from './timeline.ts';

/** One repeat's memory, already downsampled: `t` in seconds since its container's first sample, `v` in MiB. */
export interface RepeatSeries {
  /** The repeat's index in its variant. */
  run: number;
  outcome: string;
  usage: Point[];
  /** null when the container never used swap. */
  swap: Point[] | null;
  kills: TimelineKill[];
}

/** What a chart draws, in data units. */
export interface OverlayInput {
  repeats: RepeatSeries[];
  /** The container limits seen (MiB), usually one. */
  limitsMiB: number[];
  /** The memory reservation (soft limit) in force, MiB; null when none. */
  reservationMiB: number | null;
  /** The stand-in host's memory limit, MiB, when the variant ran under one. */
  standInHostMiB: number | null;
}

/** Axes shared by the charts of one row: seconds and MiB. */
export interface OverlayDomain {
  tMin: number;
  tMax: number;
  vMax: number;
}

export interface OverlayLine {
  kind: 'limit' | 'reservation' | 'standin';
  y: number;
  label: string;
  labelX: number;
  labelY: number;
}

export interface OverlayKillMarker {
  x: number;
  /** The marker's head, a small triangle above the plot. */
  head: string;
  title: string;
  dot: { x: number; y: number } | null;
}

/** One label over kills close together: "kill 4242", or "3 kills" for a cluster. */
export interface OverlayKillLabel {
  x: number;
  y: number;
  text: string;
  anchor: 'start' | 'middle' | 'end';
}

export interface OverlayChart {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number; width: number; height: number };
  usage: Array<{ d: string; title: string }>;
  /** Area under the line, only when a single repeat is drawn. */
  usageArea: string | null;
  /** Lines are lighter when several repeats overlap. */
  overlaid: boolean;
  swap: string[];
  lines: OverlayLine[];
  xTicks: ChartTick[];
  yTicks: ChartTick[];
  kills: OverlayKillMarker[];
  killLabels: OverlayKillLabel[];
  hasDots: boolean;
}

/** Kills closer than this (SVG units) share one label. */
const KILL_CLUSTER = 48;
/** Labels closer than this go on a second row. */
const LABEL_WIDTH = 70;

const round = (value: number) => Math.round(value * 10) / 10;

function formatMiB(value: number): string {
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} MiB`;
}

/** The smallest axes that fit every input: charts of one row share them. */
export function overlayDomain(inputs: readonly OverlayInput[]): OverlayDomain | null {
  let tMin = 0;
  let tMax = Number.NEGATIVE_INFINITY;
  let vMax = 0;
  let any = false;
  for (const input of inputs) {
    for (const repeat of input.repeats) {
      for (const series of [repeat.usage, repeat.swap ?? []]) {
        for (const p of series) {
          any = true;
          if (p.t < tMin) tMin = p.t;
          if (p.t > tMax) tMax = p.t;
          if (p.v > vMax) vMax = p.v;
        }
      }
      for (const kill of repeat.kills) {
        if (kill.t < tMin) tMin = kill.t;
        if (kill.t > tMax) tMax = kill.t;
        if ((kill.anonRssMiB ?? 0) > vMax) vMax = kill.anonRssMiB ?? 0;
      }
    }
    for (const v of [...input.limitsMiB, input.reservationMiB ?? 0, input.standInHostMiB ?? 0]) if (v > vMax) vMax = v;
  }
  if (!any) return null;
  if (!(tMax > tMin)) tMax = tMin + 1;
  return { tMin, tMax, vMax };
}

/** Lays out one chart on the given axes; null when no repeat has two usage points. */
export function layoutOverlay(input: OverlayInput, domain: OverlayDomain, size: ChartSize): OverlayChart | null {
  const drawn = input.repeats.filter((repeat) => repeat.usage.length >= 2);
  if (drawn.length === 0) return null;
  const margin = { left: 50, right: 14, top: 34, bottom: 34 };
  const plot = plotArea(size, margin);
  let vMax = domain.vMax * 1.08;
  if (!(vMax > 0)) vMax = 1;
  const yStep = niceStep(vMax, 4);
  vMax = Math.ceil(vMax / yStep - 1e-9) * yStep;
  // A little room at the right so a kill at the very end stays visible.
  const tMax = domain.tMax + (domain.tMax - domain.tMin) * 0.02;
  const tMin = domain.tMin === 0 ? 0 : domain.tMin - (domain.tMax - domain.tMin) * 0.02;
  const x = (t: number) => round(plot.left + ((t - tMin) / (tMax - tMin)) * plot.width);
  const y = (v: number) => round(plot.bottom - (v / vMax) * plot.height);
  const path = (points: readonly Point[]) => {
    let d = '';
    for (let i = 0; i < points.length; i++) d += `${i === 0 ? 'M' : ' L'}${x(points[i]!.t)},${y(points[i]!.v)}`;
    return d;
  };

  const usage = drawn.map((repeat) => ({ d: path(repeat.usage), title: `run #${repeat.run}: ${repeat.outcome}` }));
  let usageArea: string | null = null;
  if (drawn.length === 1) {
    const only = drawn[0]!.usage;
    usageArea = `${usage[0]!.d} L${x(only[only.length - 1]!.t)},${plot.bottom} L${x(only[0]!.t)},${plot.bottom} Z`;
  }

  const lines: OverlayLine[] = [];
  const addLine = (kind: OverlayLine['kind'], value: number, label: string) => {
    const at = y(value);
    lines.push({ kind, y: at, label, labelX: plot.left + 4, labelY: at - 4 });
  };
  for (const limit of input.limitsMiB) addLine('limit', limit, `limit ${formatMiB(limit)}`);
  if (input.reservationMiB !== null) addLine('reservation', input.reservationMiB, `reservation ${formatMiB(input.reservationMiB)}`);
  if (input.standInHostMiB !== null) addLine('standin', input.standInHostMiB, `stand-in host ${formatMiB(input.standInHostMiB)}`);
  // Labels of lines close together would overlap: move each below its line, or further down.
  lines.sort((a, b) => a.y - b.y);
  lines.forEach((line, i) => {
    const previous = lines[i - 1];
    if (previous && line.labelY - previous.labelY < 12) line.labelY = Math.max(line.y + 13, previous.labelY + 13);
  });

  const kills = drawn.flatMap((repeat) => repeat.kills.map((kill) => ({ repeat, kill }))).sort((a, b) => a.kill.t - b.kill.t);
  const markers: OverlayKillMarker[] = kills.map(({ repeat, kill }) => {
    const at = x(kill.t);
    return {
      x: at,
      head: `M${round(at - 4)},${plot.top - 7} L${round(at + 4)},${plot.top - 7} L${at},${plot.top} Z`,
      title:
        `run #${repeat.run}: OOM kill of pid ${kill.pid} (${kill.comm}) at +${kill.t.toFixed(2)} s` +
        (kill.timeSource === 'kernel' ? ' (kernel log time)' : ' (time the harness saw it; no kernel time)') +
        (kill.anonRssMiB !== null ? `; anon-rss ${formatMiB(kill.anonRssMiB)}` : ''),
      dot: kill.anonRssMiB !== null ? { x: at, y: y(kill.anonRssMiB) } : null,
    };
  });
  // Kills close together (repeats killed at about the same moment) share a label.
  const clusters: Array<{ from: number; to: number; count: number; pid: number }> = [];
  markers.forEach((marker, i) => {
    const last = clusters[clusters.length - 1];
    if (last && marker.x - last.from < KILL_CLUSTER) {
      last.to = marker.x;
      last.count++;
    } else clusters.push({ from: marker.x, to: marker.x, count: 1, pid: kills[i]!.kill.pid });
  });
  const killLabels: OverlayKillLabel[] = [];
  for (const cluster of clusters) {
    const at = round((cluster.from + cluster.to) / 2);
    const anchor = at > plot.right - LABEL_WIDTH / 2 ? 'end' : at < plot.left + LABEL_WIDTH / 2 ? 'start' : 'middle';
    const previous = killLabels[killLabels.length - 1];
    const row = previous && at - previous.x < LABEL_WIDTH && previous.y === plot.top - 10 ? plot.top - 20 : plot.top - 10;
    killLabels.push({ x: anchor === 'end' ? Math.min(at + 4, size.width - 2) : anchor === 'start' ? Math.max(at - 4, 2) : at, y: row, text: cluster.count === 1 ? `kill ${cluster.pid}` : `${cluster.count} kills`, anchor });
  }

  const xStep = niceStep(tMax - tMin, 6);
  return {
    width: size.width,
    height: size.height,
    plot,
    usage,
    usageArea,
    overlaid: drawn.length > 1,
    swap: drawn.flatMap((repeat) => (repeat.swap && repeat.swap.length >= 2 ? [path(repeat.swap)] : [])),
    lines,
    xTicks: ticks(tMin, tMax, 6).map((t) => ({ at: x(t), label: `${tickLabel(t, xStep)} s` })),
    yTicks: ticks(0, vMax, 4).map((v) => ({ at: y(v), label: tickLabel(v, yStep) })),
    kills: markers,
    killLabels,
    hasDots: markers.some((marker) => marker.dot !== null),
  };
}
