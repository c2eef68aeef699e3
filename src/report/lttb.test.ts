import { describe, expect, it } from 'vitest';
import { anchorsAround, downsampleLttb, indexAtOrBefore } from './lttb.ts';
import type { Point } from './timeline.ts';

function series(count: number, value: (i: number) => number): Point[] {
  return Array.from({ length: count }, (_, i) => ({ t: i / 10, v: value(i) }));
}

const inOrder = (points: Point[]) => points.every((p, i) => i === 0 || p.t > points[i - 1]!.t);

describe('downsampleLttb', () => {
  it('leaves a short series alone', () => {
    const points = series(100, (i) => i);
    expect(downsampleLttb(points, 500)).toEqual(points);
  });

  it('keeps at most the asked number of points, both ends, in time order, without repeats', () => {
    const points = series(10_000, (i) => Math.sin(i / 50) * 10 + (i % 13));
    for (const max of [3, 10, 100, 500]) {
      const out = downsampleLttb(points, max);
      expect(out).toHaveLength(max);
      expect(out[0]).toBe(points[0]);
      expect(out[out.length - 1]).toBe(points[points.length - 1]);
      expect(inOrder(out)).toBe(true);
    }
    expect(downsampleLttb(points, 1)).toHaveLength(2);
  });

  it('picks the point that shapes the line: a lone spike survives', () => {
    const points = series(5_000, (i) => (i === 3_210 ? 900 : 10));
    expect(Math.max(...downsampleLttb(points, 50).map((p) => p.v))).toBe(900);
  });

  it('is the textbook algorithm on a small case', () => {
    // 8 points to 4: buckets {1,2,3} and {4,5,6}; the middle picks are the corners of the shape.
    const points: Point[] = [0, 1, 5, 1, 0, -4, 0, 0].map((v, t) => ({ t, v }));
    expect(downsampleLttb(points, 4).map((p) => p.t)).toEqual([0, 2, 5, 7]);
  });

  it('always keeps anchors, and still stays within the budget', () => {
    const points = series(20_000, (i) => i % 100);
    const keep = [1, 777, 778, 12_345, 19_998];
    const out = downsampleLttb(points, 200, keep);
    expect(out.length).toBeLessThanOrEqual(200);
    expect(out.length).toBeGreaterThan(190);
    for (const index of keep) expect(out).toContain(points[index]);
    expect(inOrder(out)).toBe(true);
  });

  it('keeps every anchor even when there are more anchors than points allowed', () => {
    const points = series(1_000, (i) => i);
    const keep = Array.from({ length: 30 }, (_, i) => i * 30 + 5);
    const out = downsampleLttb(points, 10, keep);
    for (const index of keep) expect(out).toContain(points[index]);
    expect(out).toHaveLength(32);
  });

  it('ignores anchors out of range', () => {
    const points = series(1_000, (i) => i);
    expect(downsampleLttb(points, 10, [-1, 5000, 2.5])).toHaveLength(10);
  });
});

describe('anchorsAround', () => {
  it('gives the samples right before and right after each moment', () => {
    const points = series(100, (i) => i);
    expect(anchorsAround(points, [2.55, 0, 99])).toEqual([0, 1, 25, 26, 99]);
    expect(anchorsAround(points, [-5])).toEqual([0]);
    expect(anchorsAround([], [1])).toEqual([]);
  });

  it('finds by binary search', () => {
    expect(indexAtOrBefore([1, 2, 2, 3], 2)).toBe(2);
    expect(indexAtOrBefore([1, 2, 3], 0)).toBe(-1);
    expect(indexAtOrBefore(new Float64Array([1, 2, 3]), 9)).toBe(2);
  });
});
