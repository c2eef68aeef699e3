import { describe, expect, it } from 'vitest';
import { renderJunit } from './render-junit.ts';
import type { RunRecord } from '../record/run-record.ts';

const result = (name: string, outcome: string, passed: boolean | null, expected: string[] | null) => ({ name, outcome, passed, expected, scope: null, reason: `because <${outcome}>` });

const record = {
  scenario: 'oom-basics',
  startedAt: '2026-12-03T00:00:00.000Z',
  variants: [
    { name: 'limit-64m', settings: { containers: { hog: {}, side: {} } }, runs: [{ durationMs: 800, containers: [result('hog', 'oom-killed', true, ['oom-killed']), result('side', 'survived', null, null)] }] },
    { name: 'limit-512m', settings: { containers: { hog: {} } }, runs: [{ durationMs: 900, containers: [result('hog', 'oom-killed', false, ['survived'])] }] },
  ],
} as unknown as RunRecord;

describe('renderJunit', () => {
  const text = renderJunit(record);
  it('has one testcase per variant × container expectation', () => {
    expect(text.match(/<testcase /g)).toHaveLength(2);
    expect(text).toContain('<testsuites name="oomlab" tests="2" failures="1">');
    expect(text).toContain('classname="oom-basics.limit-64m" name="hog" time="0.800"></testcase>');
  });
  it('fails a changed outcome with what happened, escaped', () => {
    expect(text).toContain('<failure message="expected survived, got oom-killed">run 1: oom-killed: because &lt;oom-killed&gt;</failure>');
  });
});
