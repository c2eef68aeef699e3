import type { Outcome } from '../outcome/outcomes.ts';
import type { RunRecord, VariantRecord } from '../record/run-record.ts';

/** Outcome (with the kill's scope, e.g. "oom-killed (parent)") → share of runs (0..1) for one variant × container. */
export type OutcomeDistribution = Record<string, number>;

export interface OutcomeChange {
  variant: string;
  container: string;
  baseline: OutcomeDistribution | null;
  current: OutcomeDistribution | null;
  /** In words: "survived → oom-killed", "new variant", "gone". */
  summary: string;
}

/** A kill by the container's own limit and one by the stand-in host are different stories, so scope counts. */
function outcomeKey(outcome: Outcome, scope: string | null): string {
  return scope ? `${outcome} (${scope})` : outcome;
}

function distribution(variant: VariantRecord, container: string): OutcomeDistribution | null {
  const results = (variant.runs ?? []).flatMap((run) => run.containers.filter((c) => c.name === container));
  if (results.length > 0) {
    const shares: OutcomeDistribution = {};
    for (const result of results) {
      const key = outcomeKey(result.outcome, result.scope);
      shares[key] = (shares[key] ?? 0) + 1 / results.length;
    }
    return shares;
  }
  const counts = variant.outcomes[container];
  if (!counts) return null;
  const total = Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0);
  if (total === 0) return null;
  return Object.fromEntries(Object.entries(counts).map(([outcome, n]) => [outcome, (n ?? 0) / total])) as OutcomeDistribution;
}

function describe(d: OutcomeDistribution | null): string {
  if (!d) return 'absent';
  return Object.entries(d)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .map(([outcome, share]) => (share === 1 ? outcome : `${outcome} ${Math.round((share ?? 0) * 100)}%`))
    .join(', ');
}

function differs(a: OutcomeDistribution, b: OutcomeDistribution, tolerance: number): boolean {
  const outcomes = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...outcomes].some((outcome) => Math.abs((a[outcome] ?? 0) - (b[outcome] ?? 0)) > tolerance + 1e-9);
}

/**
 * Every variant × container whose outcome distribution changed between two run records: an outcome that
 * appeared or went, or a share that moved by more than `tolerance` (0 = any change). Pure.
 */
export function compareRecords(baseline: RunRecord, current: RunRecord, tolerance = 0): OutcomeChange[] {
  const changes: OutcomeChange[] = [];
  const names = [...new Set([...baseline.variants.map((v) => v.name), ...current.variants.map((v) => v.name)])];
  for (const name of names) {
    const before = baseline.variants.find((v) => v.name === name);
    const after = current.variants.find((v) => v.name === name);
    const containers = [...new Set([...Object.keys(before?.outcomes ?? {}), ...Object.keys(after?.outcomes ?? {})])];
    for (const container of containers) {
      const a = before ? distribution(before, container) : null;
      const b = after ? distribution(after, container) : null;
      if (a && b && !differs(a, b, tolerance)) continue;
      if (!a && !b) continue;
      const summary = !a ? `new: ${describe(b)}` : !b ? `gone (was ${describe(a)})` : `${describe(a)} → ${describe(b)}`;
      changes.push({ variant: name, container, baseline: a, current: b, summary });
    }
  }
  return changes;
}

export function formatChanges(changes: OutcomeChange[], baseline: RunRecord, current: RunRecord): string {
  const header = `${baseline.scenario}: baseline ${baseline.runId} (${baseline.host.kernel}) vs current ${current.runId} (${current.host.kernel})`;
  if (changes.length === 0) return `${header}\nno outcome changed`;
  const width = Math.max(...changes.map((c) => `${c.variant} / ${c.container}`.length));
  return `${header}\n${changes.length} outcome(s) changed:\n${changes.map((c) => `  ${`${c.variant} / ${c.container}`.padEnd(width)}  ${c.summary}`).join('\n')}`;
}
