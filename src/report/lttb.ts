/**
 * Largest-triangle-three-buckets (Steinarsson 2013): reduces a time series to a given number of
 * points while keeping its visual shape. Extended with anchors, points that always survive (the
 * samples nearest a kill, the peak): the series is cut at the anchors and each piece is reduced on
 * its own, with a share of the budget in proportion to its length. Pure and O(n).
 */
import { MAX_POINTS_PER_SERIES, type Point } from './timeline.ts';

/** Indices LTTB keeps of points[from..to], both ends included, at most max(2, `count`) of them, ascending. */
function lttbSegment(points: readonly Point[], from: number, to: number, count: number, out: number[]): void {
  const length = to - from + 1;
  if (count >= length) {
    for (let i = from; i <= to; i++) out.push(i);
    return;
  }
  out.push(from);
  const buckets = Math.max(0, count - 2);
  const size = (length - 2) / Math.max(1, buckets);
  let chosen = from;
  for (let bucket = 0; bucket < buckets; bucket++) {
    const start = from + 1 + Math.floor(bucket * size);
    const end = Math.min(to, from + 1 + Math.floor((bucket + 1) * size));
    // The average of the next bucket (or the last point, for the last bucket) is the triangle's third corner.
    let avgT = points[to]!.t;
    let avgV = points[to]!.v;
    if (bucket < buckets - 1) {
      const nextEnd = Math.min(to, from + 1 + Math.floor((bucket + 2) * size));
      if (nextEnd > end) {
        avgT = 0;
        avgV = 0;
        for (let i = end; i < nextEnd; i++) {
          avgT += points[i]!.t;
          avgV += points[i]!.v;
        }
        avgT /= nextEnd - end;
        avgV /= nextEnd - end;
      }
    }
    const a = points[chosen]!;
    let best = start;
    let bestArea = -1;
    for (let i = start; i < end; i++) {
      const p = points[i]!;
      // Twice the triangle's area; the factor does not change which point wins.
      const area = Math.abs((a.t - avgT) * (p.v - a.v) - (a.t - p.t) * (avgV - a.v));
      if (area > bestArea) {
        bestArea = area;
        best = i;
      }
    }
    out.push(best);
    chosen = best;
  }
  out.push(to);
}

/**
 * Downsamples `points` (in time order) to at most `maxPoints` with LTTB, always keeping the first
 * and last point and every index in `keep`. When there are more anchors than `maxPoints`, the
 * anchors still all survive: they are the points the chart must not lose.
 */
export function downsampleLttb(points: readonly Point[], maxPoints = MAX_POINTS_PER_SERIES, keep: readonly number[] = []): Point[] {
  const n = points.length;
  const threshold = Math.max(2, Math.floor(maxPoints));
  if (n <= threshold) return [...points];
  const anchors = [...new Set([0, n - 1, ...keep.filter((i) => Number.isInteger(i) && i >= 0 && i < n)])].sort((a, b) => a - b);
  const budget = Math.max(0, threshold - anchors.length);
  const interior = n - anchors.length;
  // Each piece between two anchors gets a share of the budget in proportion to its interior points;
  // what flooring leaves over goes to the pieces with the largest remainders.
  const pieces = anchors.slice(1).map((to, i) => {
    const from = anchors[i]!;
    const inside = to - from - 1;
    const exact = interior > 0 ? (budget * inside) / interior : 0;
    return { from, to, inside, share: Math.min(inside, Math.floor(exact)), remainder: exact - Math.floor(exact) };
  });
  let left = budget - pieces.reduce((sum, piece) => sum + piece.share, 0);
  for (const piece of [...pieces].sort((a, b) => b.remainder - a.remainder)) {
    if (left <= 0) break;
    if (piece.share < piece.inside) {
      piece.share++;
      left--;
    }
  }
  const indices: number[] = [];
  for (const piece of pieces) {
    const start = indices.length;
    lttbSegment(points, piece.from, piece.to, piece.share + 2, indices);
    // Each piece ends where the next begins: drop the shared anchor once.
    if (start > 0 && indices[start] === indices[start - 1]) indices.splice(start, 1);
  }
  return indices.map((i) => points[i]!);
}

/** The index of the last entry of the ascending `times` at or before `t`; -1 when none is. */
export function indexAtOrBefore(times: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = times.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * For each moment in `at`, the indices of the points right before and right after it (the one
 * nearest is one of them): anchors for `downsampleLttb`, so a kill marker keeps the samples around it.
 */
export function anchorsAround(points: readonly Point[], at: readonly number[]): number[] {
  if (points.length === 0) return [];
  const times = points.map((p) => p.t);
  const out = new Set<number>();
  for (const t of at) {
    const before = indexAtOrBefore(times, t);
    if (before >= 0) out.add(before);
    if (before + 1 < points.length) out.add(before + 1);
  }
  return [...out].sort((a, b) => a - b);
}
