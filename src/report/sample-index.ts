import type { SampleRecord } from '../observe/cgroup-sampler.ts';
import type { KillRecord, RunResult } from '../record/run-record.ts';
import { indexAtOrBefore } from './lttb.ts';

/** The samples of one container, in time order, with their times parsed once. */
export interface ContainerSamples {
  times: Float64Array;
  samples: SampleRecord[];
}

/** Groups samples by container and sorts each group by time: O(n log n) once, then every run's window is a binary search. */
export function indexSamples(samples: readonly SampleRecord[]): Map<string, ContainerSamples> {
  const groups = new Map<string, SampleRecord[]>();
  for (const sample of samples) {
    const group = groups.get(sample.container);
    if (group) group.push(sample);
    else groups.set(sample.container, [sample]);
  }
  const index = new Map<string, ContainerSamples>();
  for (const [container, group] of groups) {
    let times = Float64Array.from(group, (sample) => Date.parse(sample.at));
    let sorted = true;
    for (let i = 1; i < times.length && sorted; i++) if (!(times[i]! >= times[i - 1]!)) sorted = false;
    if (!sorted) {
      const order = Array.from(group.keys()).sort((a, b) => times[a]! - times[b]! || a - b);
      const reordered = order.map((i) => group[i]!);
      times = Float64Array.from(order, (i) => times[i]!);
      index.set(container, { times, samples: reordered });
    } else index.set(container, { times, samples: group });
  }
  return index;
}

/** One container's samples taken between a run's start and finish (both included), as samplesForRun picks them. */
export function samplesInWindow(index: Map<string, ContainerSamples>, container: string, run: Pick<RunResult, 'startedAt' | 'finishedAt'>): { times: Float64Array; samples: SampleRecord[] } {
  const group = index.get(container);
  const from = Date.parse(run.startedAt);
  const to = Date.parse(run.finishedAt);
  if (!group || Number.isNaN(from) || Number.isNaN(to)) return { times: new Float64Array(0), samples: [] };
  // Times are whole milliseconds: the first at or after `from` follows the last before it.
  const lo = indexAtOrBefore(group.times, from - 0.5) + 1;
  const hi = indexAtOrBefore(group.times, to) + 1;
  return { times: group.times.subarray(lo, Math.max(lo, hi)), samples: group.samples.slice(lo, Math.max(lo, hi)) };
}

/** When the kernel killed: its own timestamp, else when the harness saw the kill. */
export function killTime(kill: KillRecord): { ms: number; source: 'kernel' | 'observed' } | null {
  const kernel = kill.kernelTime ? Date.parse(kill.kernelTime) : Number.NaN;
  if (!Number.isNaN(kernel)) return { ms: kernel, source: 'kernel' };
  const observed = Date.parse(kill.observedAt);
  return Number.isNaN(observed) ? null : { ms: observed, source: 'observed' };
}
