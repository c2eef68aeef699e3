import { describe, expect, it } from 'vitest';
import { UnderOomTracker } from './under-oom-tracker.ts';

describe('UnderOomTracker', () => {
  it('reports once, after under_oom has lasted the threshold without a break', () => {
    const tracker = new UnderOomTracker(3000);
    expect(tracker.update(true, 0)).toBeNull();
    expect(tracker.update(false, 1000)).toBeNull();
    expect(tracker.update(true, 1100)).toBeNull();
    expect(tracker.update(true, 4000)).toBeNull();
    expect(tracker.update(true, 4100)).toBe(3000);
    expect(tracker.hung).toBe(true);
    expect(tracker.update(true, 9000)).toBeNull();
  });

  it('never reports where the host has no under_oom flag', () => {
    const tracker = new UnderOomTracker(0);
    expect(tracker.update(null, 0)).toBeNull();
    expect(tracker.hung).toBe(false);
  });
});
