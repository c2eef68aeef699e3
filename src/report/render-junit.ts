import type { RunRecord } from '../record/run-record.ts';

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/**
 * JUnit XML: one testcase per variant × container expectation, failed when any run's outcome was not
 * an expected one. Containers without an expectation are not test cases. Pure.
 */
export function renderJunit(record: RunRecord): string {
  const cases: string[] = [];
  let failures = 0;
  for (const variant of record.variants) {
    for (const name of Object.keys(variant.settings.containers)) {
      const results = variant.runs.flatMap((run) => run.containers.filter((c) => c.name === name));
      const expected = results.find((c) => c.expected)?.expected;
      if (!expected) continue;
      const seconds = variant.runs.reduce((sum, run) => sum + run.durationMs, 0) / 1000;
      const failed = results.filter((c) => c.passed === false);
      const head = `    <testcase classname="${xml(`${record.scenario}.${variant.name}`)}" name="${xml(name)}" time="${seconds.toFixed(3)}">`;
      if (failed.length === 0 && results.length > 0) {
        cases.push(`${head}</testcase>`);
        continue;
      }
      failures++;
      const message = results.length === 0 ? 'no run finished' : `expected ${expected.join(' or ')}, got ${failed.map((c) => c.outcome).join(', ')}`;
      const detail = failed.map((c, index) => `run ${index + 1}: ${c.outcome}${c.scope ? ` (${c.scope})` : ''}: ${c.reason}`).join('\n');
      cases.push(`${head}\n      <failure message="${xml(message)}">${xml(detail)}</failure>\n    </testcase>`);
    }
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="oomlab" tests="${cases.length}" failures="${failures}">`,
    `  <testsuite name="${xml(record.scenario)}" tests="${cases.length}" failures="${failures}" timestamp="${xml(record.startedAt)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
