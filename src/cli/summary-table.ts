import type { RunRecord } from '../record/run-record.ts';

/** Variant × container → outcome counts, expected outcomes and a verdict, as aligned text. */
export function summaryTable(record: RunRecord): string {
  const rows: string[][] = [['variant', 'container', 'outcomes', 'expected', '']];
  for (const variant of record.variants) {
    const containers = Object.keys(variant.settings.containers);
    for (const container of containers) {
      const counts = variant.outcomes[container] ?? {};
      const outcomes = Object.entries(counts)
        .map(([outcome, count]) => {
          const scopes = new Set(variant.runs.flatMap((run) => run.containers.filter((c) => c.name === container && c.outcome === outcome && c.scope).map((c) => c.scope)));
          return `${outcome}${scopes.size ? ` (${[...scopes].join('/')})` : ''}${count > 1 || variant.runs.length > 1 ? ` ×${count}` : ''}`;
        })
        .join(', ');
      const expected = variant.runs[0]?.containers.find((c) => c.name === container)?.expected;
      const failed = variant.runs.some((run) => run.containers.some((c) => c.name === container && c.passed === false));
      rows.push([variant.name, container, outcomes || '(no run)', expected ? expected.join(' | ') : '—', expected ? (failed ? 'FAIL' : 'ok') : '']);
    }
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}
