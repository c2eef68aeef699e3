import type { OutputSignal, WorkloadSignal } from './catalog.ts';

export interface FoundSignal {
  signal: WorkloadSignal;
  detail: string | null;
  line: string;
}

/** The first line matching each of the workload's output signals. Pure. */
export function findWorkloadSignals(output: string, signals: readonly OutputSignal[]): FoundSignal[] {
  const found: FoundSignal[] = [];
  for (const { signal, pattern, detail } of signals) {
    for (const line of output.split('\n')) {
      const match = new RegExp(pattern.source, pattern.flags.replace('g', '')).exec(line);
      if (!match) continue;
      found.push({ signal, detail: detail ? detail(match) : null, line: line.trim() });
      break;
    }
  }
  return found;
}

/** What a JSON-lines workload (hog) said about itself: which steps it reached, and how far it got. */
export interface WorkloadReport {
  /** Distinct `event` names in the order they first appeared, e.g. start, allocated, touched. */
  events: string[];
  allocatedBytes: number | null;
  touchedBytes: number | null;
  rssBytes: number | null;
}

/** Reads the workload's JSON lines; other output is ignored. Pure. */
export function readWorkloadReport(output: string): WorkloadReport | null {
  const report: WorkloadReport = { events: [], allocatedBytes: null, touchedBytes: null, rssBytes: null };
  let seen = false;
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (typeof parsed.event !== 'string') continue;
    seen = true;
    if (!report.events.includes(parsed.event)) report.events.push(parsed.event);
    if (typeof parsed.allocated === 'number') report.allocatedBytes = parsed.allocated;
    if (typeof parsed.touched === 'number') report.touchedBytes = parsed.touched;
    if (typeof parsed.rss === 'number') report.rssBytes = parsed.rss;
  }
  return seen ? report : null;
}
