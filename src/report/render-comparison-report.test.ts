import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { syntheticRun, type SyntheticSpec } from '../../test/fixtures/synthetic-run.ts';
import { renderComparisonReport } from './render-comparison-report.ts';

const SCRIPT = '<script>window.__pwned=1</script>';
const IMG = '"><img src=x onerror="window.__pwned=2">';
const START = Date.parse('2026-12-01T09:00:00Z');

function run(overrides: Partial<SyntheticSpec> = {}) {
  return syntheticRun({
    scenario: 'hog',
    description: 'a hog under a 64 MiB limit',
    runId: 'r-a',
    kernel: '6.8.0',
    cgroupVersion: 2,
    startMs: START,
    samplesPerRun: 60,
    intervalMs: 50,
    variants: [
      { name: 'limit-64m', limitMiB: 64, allocMiB: 200, repeats: 2, swappiness: 10 },
      { name: 'limit-128m', limitMiB: 128, allocMiB: 100, repeats: 2 },
    ],
    ...overrides,
  });
}

describe('renderComparisonReport', () => {
  const baseline = run({ runId: 'base', kernel: '5.15.0', cgroupVersion: 1 });
  const changed = run({ runId: 'new' });
  changed.record.variants[1]!.runs[1]!.containers[0]!.outcome = 'oom-killed';
  const html = renderComparisonReport([changed], { baseline });

  it('is one self-contained page: no scripts, nothing fetched', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(html).toContain("default-src 'none'");
  });

  it('shows a comparison table with the baseline first and the changed cell highlighted', () => {
    const table = html.slice(html.indexOf('<table class="compare">'), html.indexOf('</table>', html.indexOf('<table class="compare">')));
    expect(table.indexOf('baseline · base · 5.15.0')).toBeLessThan(table.indexOf('new · 6.8.0'));
    expect(table).toMatch(/<td class="differs ">[\s\S]*?≠ baseline: survived ×2 of 2/);
    expect(table).toContain('memorySwappiness</b> not in force: cgroup v2 has no per-cgroup swappiness');
    expect(html).toContain('<td class="now">oom-killed ×1 of 2, survived ×1 of 2</td>');
  });

  it('draws a timeline per variant, container and record, with kill markers and limit lines', () => {
    expect(html.match(/<svg class="timeline"/g)).toHaveLength(4);
    expect(html).toMatch(/<g class="kill">\s*<title>run #0: OOM kill of pid 20000 \(hog\)/);
    expect(html).toMatch(/<line class="kill-line" x1="[\d.]+"/);
    expect(html).toContain('class="hline hline-limit"');
  });

  it('puts the kernel reports and the output behind disclosures', () => {
    expect(html).toMatch(/<summary>kernel OOM reports: 2 kills<\/summary>\s*<details class="kill-report">\s*<summary>run #0 · pid 20000 hog \(main process\)[^<]*\(7\d lines\)<\/summary>\s*<pre class="raw">hog invoked oom-killer/);
    const single = renderComparisonReport([run({ variants: [{ name: 'v', limitMiB: 64, allocMiB: 200, repeats: 1 }] })]);
    expect(single).toMatch(/<summary>kernel OOM report: run #0 · pid 20000 hog \(main process\)[^<]*\(7\d lines\)<\/summary>\s*<pre class="raw">hog invoked oom-killer/);
    expect(html).toMatch(/<summary>container output of run #0, last \d lines<\/summary>/);
  });

  it('compares the hosts, with differing facts highlighted', () => {
    expect(html).toMatch(/<th class="row-label">kernel<\/th><td class=""><span>5.15.0<\/span><\/td><td class="differs"><span>6.8.0<\/span>/);
  });

  it('escapes what workloads, the kernel and names print, everywhere', () => {
    const hostile = run({ container: IMG, description: SCRIPT, extraLogLines: [SCRIPT, IMG], extraReportLines: [SCRIPT, IMG], scenario: `${SCRIPT}${IMG}` });
    hostile.record.variants[0]!.name = IMG;
    hostile.record.variants[0]!.runs[0]!.containers[0]!.kills[0]!.comm = SCRIPT;
    hostile.record.variants[0]!.runs[0]!.containers[0]!.warnings = [SCRIPT];
    hostile.record.host.sysctls[IMG] = SCRIPT;
    const out = renderComparisonReport([{ ...hostile, label: IMG }, run({ runId: 'other', scenario: `${SCRIPT}${IMG}` })], { baseline: { ...run({ scenario: 'x' }), label: SCRIPT } as never });
    expect(out).not.toContain('<script');
    expect(out).not.toContain('<img');
    expect(out).toContain('&lt;script&gt;window.__pwned&#x3D;1&lt;/script&gt;');
    expect(out).toContain('&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;&quot;window.__pwned&#x3D;2&quot;&gt;');
    expect(out).toMatch(/<title>run #0: OOM kill of pid 20000 \(&lt;script&gt;/);
  });

  it('renders records without samples, with a variant missing, and no runs at all', () => {
    const lacking = run({ runId: 'lacking', variants: [{ name: 'limit-64m', limitMiB: 64, allocMiB: 200, repeats: 1 }] });
    const out = renderComparisonReport([run(), { ...lacking, samples: [] }]);
    expect(out).toContain('No timeline: no samples');
    expect(out).toContain('Not run in this record.');
    expect(out).toContain('≠ A: survived ×2 of 2');
    expect(renderComparisonReport([])).toContain('No run records were given.');
  });

  it('registers nothing on the global Handlebars', () => {
    expect(Object.keys(Handlebars.partials)).not.toContain('comparison-chart');
  });
});
