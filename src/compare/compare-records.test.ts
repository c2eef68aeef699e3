import { describe, expect, it } from 'vitest';
import { compareRecords, formatChanges } from './compare-records.ts';
import type { RunRecord, VariantRecord } from '../record/run-record.ts';

function record(variants: Array<[string, VariantRecord['outcomes']]>): RunRecord {
  return {
    scenario: 'oom-basics',
    runId: 'r',
    host: { kernel: '6.18' },
    variants: variants.map(([name, outcomes]) => ({ name, outcomes })),
  } as unknown as RunRecord;
}

describe('compareRecords', () => {
  const baseline = record([
    ['limit-64m', { hog: { 'oom-killed': 3 } }],
    ['limit-512m', { hog: { survived: 3 } }],
  ]);

  it('finds nothing when the outcomes are the same, whatever the repeat count', () => {
    const same = record([
      ['limit-64m', { hog: { 'oom-killed': 5 } }],
      ['limit-512m', { hog: { survived: 5 } }],
    ]);
    expect(compareRecords(baseline, same)).toEqual([]);
    expect(formatChanges([], baseline, same)).toMatch(/no outcome changed/);
  });

  it('reports survived → oom-killed, shares that moved, and variants that came or went', () => {
    const current = record([
      ['limit-64m', { hog: { 'oom-killed': 2, killed: 1 } }],
      ['limit-512m', { hog: { 'oom-killed': 3 } }],
      ['limit-1g', { hog: { survived: 1 } }],
    ]);
    const summaries = compareRecords(baseline, current).map((c) => `${c.variant}/${c.container}: ${c.summary}`);
    expect(summaries).toEqual(['limit-64m/hog: oom-killed → oom-killed 67%, killed 33%', 'limit-512m/hog: survived → oom-killed', 'limit-1g/hog: new: survived']);
  });

  it('counts a change of scope: the container limit and the stand-in host kill for different reasons', () => {
    const withRuns = (scope: string) =>
      ({ scenario: 's', runId: 'r', host: { kernel: 'k' }, variants: [{ name: 'v', outcomes: { db: { 'oom-killed': 1 } }, runs: [{ containers: [{ name: 'db', outcome: 'oom-killed', scope }] }] }] }) as unknown as RunRecord;
    expect(compareRecords(withRuns('container'), withRuns('container'))).toEqual([]);
    expect(compareRecords(withRuns('container'), withRuns('parent')).map((c) => c.summary)).toEqual(['oom-killed (container) → oom-killed (parent)']);
  });

  it('lets a tolerance absorb a small shift in shares', () => {
    const current = record([
      ['limit-64m', { hog: { 'oom-killed': 9, killed: 1 } }],
      ['limit-512m', { hog: { survived: 3 } }],
    ]);
    expect(compareRecords(baseline, current, 0.2)).toEqual([]);
    expect(compareRecords(baseline, current)).toHaveLength(1);
  });
});
