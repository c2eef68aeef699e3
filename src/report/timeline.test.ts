import { describe, expect, it } from 'vitest';
import { downsampleMinMax, dropRepeats, layoutTimeline, niceStep, type Point } from './timeline.ts';

function series(count: number, value: (i: number) => number): Point[] {
  return Array.from({ length: count }, (_, i) => ({ t: i / 10, v: value(i) }));
}

describe('downsampleMinMax', () => {
  it('leaves a short series alone', () => {
    const points = series(100, (i) => i);
    expect(downsampleMinMax(points, 500)).toEqual(points);
  });

  it('keeps at most the asked number of points, the global max and min, and both ends', () => {
    const points = series(10_000, (i) => (i === 6_543 ? 999 : i === 1_234 ? -50 : Math.sin(i / 50) * 10));
    const out = downsampleMinMax(points, 500);
    expect(out.length).toBeLessThanOrEqual(500);
    expect(Math.max(...out.map((p) => p.v))).toBe(999);
    expect(Math.min(...out.map((p) => p.v))).toBe(-50);
    expect(out[0]).toEqual(points[0]);
    expect(out[out.length - 1]).toEqual(points[points.length - 1]);
    // Still in time order.
    expect(out.every((p, i) => i === 0 || p.t >= out[i - 1]!.t)).toBe(true);
  });

  it('keeps a spike in the first and in the last bucket', () => {
    const points = series(2_000, (i) => (i === 1 || i === 1_998 ? 50 : 1));
    const out = downsampleMinMax(points, 100);
    expect(out.filter((p) => p.v === 50)).toHaveLength(2);
  });
});

describe('dropRepeats', () => {
  it('keeps changes and the last point', () => {
    expect(dropRepeats([{ t: 0, v: 1 }, { t: 1, v: 1 }, { t: 2, v: 2 }, { t: 3, v: 2 }, { t: 4, v: 2 }])).toEqual([
      { t: 0, v: 1 },
      { t: 2, v: 2 },
      { t: 4, v: 2 },
    ]);
  });
});

describe('niceStep', () => {
  it('rounds to 1, 2 or 5 times a power of ten', () => {
    expect(niceStep(70, 5)).toBe(10);
    expect(niceStep(300, 5)).toBe(50);
    expect(niceStep(0.3, 8)).toBe(0.05);
    expect(niceStep(0, 5)).toBe(1);
  });
});

describe('layoutTimeline', () => {
  it('needs two usage points', () => {
    expect(layoutTimeline({ usage: [{ t: 0, v: 1 }], swap: null, limit: null, standInHostMiB: null, kills: [], underOom: [] })).toBeNull();
  });

  it('places kill markers inside the plot and scales to the highest value', () => {
    const chart = layoutTimeline({
      usage: series(30, (i) => i * 2),
      swap: null,
      limit: [{ t: 0, v: 64 }],
      standInHostMiB: 100,
      kills: [{ t: 3.5, pid: 7, comm: 'hog', anonRssMiB: 80, timeSource: 'kernel' }],
      underOom: [],
    })!;
    expect(chart.kills).toHaveLength(1);
    const marker = chart.kills[0]!;
    expect(marker.x).toBeGreaterThan(chart.plot.left);
    expect(marker.x).toBeLessThanOrEqual(chart.plot.right);
    expect(marker.dot!.y).toBeGreaterThanOrEqual(chart.plot.top);
    expect(chart.standInHost!.y).toBeGreaterThanOrEqual(chart.plot.top);
    expect(chart.limitPath).toMatch(/^M[\d.]+,[\d.]+ L[\d.]+,[\d.]+$/);
    expect(chart.yTicks.map((tick) => tick.label)).toContain('100');
  });
});
