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
  /** The runtime's own view of its memory from its last progress line (JVM: heapUsed, directUsed, metaspaceUsed, threads…). */
  runtime: Record<string, number> | null;
  /** JVM Native Memory Tracking summaries, committed kB by category, as the JVM reported them over time. */
  nmt: NmtSample[];
}

export interface NmtSample {
  tMs: number | null;
  reservedKb: number;
  committedKb: number;
  categoriesCommittedKb: Record<string, number>;
}

const NOT_RUNTIME = new Set(['allocated', 'touched', 'rss', 't_ms', 'pid', 'grown']);

/** Reads the workload's JSON lines; other output is ignored. Pure. */
export function readWorkloadReport(output: string): WorkloadReport | null {
  const report: WorkloadReport = { events: [], allocatedBytes: null, touchedBytes: null, rssBytes: null, runtime: null, nmt: [] };
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
    if (parsed.event === 'nmt' && typeof parsed.committedKb === 'number') {
      report.nmt.push({
        tMs: typeof parsed.t_ms === 'number' ? parsed.t_ms : null,
        reservedKb: Number(parsed.reservedKb ?? 0),
        committedKb: parsed.committedKb,
        categoriesCommittedKb: (parsed.categoriesCommittedKb ?? {}) as Record<string, number>,
      });
    }
    if (parsed.event === 'progress') {
      const numbers = Object.entries(parsed).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && !NOT_RUNTIME.has(entry[0]));
      if (numbers.length > 0) report.runtime = Object.fromEntries(numbers);
    }
  }
  return seen ? report : null;
}
