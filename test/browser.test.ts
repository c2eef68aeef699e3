/**
 * The reports in a real browser: Debian's chromium, driven by playwright-core. Each report is opened
 * as a file, checked for its outcome table and its memory chart with a kill marker, and screenshotted
 * into test-output/browser/. Hostile text from workloads, the kernel and names must stay text.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderComparisonReport } from '../src/report/render-comparison-report.ts';
import { renderRunReport } from '../src/report/render-run-report.ts';
import { syntheticRun, type SyntheticSpec } from './fixtures/synthetic-run.ts';

/** Debian's chromium; OOMLAB_CHROMIUM points elsewhere (e.g. to check the skip and the CI failure). */
const CHROMIUM = process.env.OOMLAB_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];
const OUT = join(resolve(fileURLToPath(new URL('..', import.meta.url))), 'test-output', 'browser');

const SCRIPT = '<script>window.__pwned=1</script>';
const IMG = '"><img src=x onerror="window.__pwned=2">';
const HOSTILE = `${SCRIPT}${IMG}`;

/**
 * Whether the browser tests can run. In CI (CI set) a missing chromium is a failure, never a skip;
 * elsewhere the tests skip and say why.
 */
function requireChromium(): { available: boolean; reason: string } {
  if (existsSync(CHROMIUM)) return { available: true, reason: '' };
  const reason = `no chromium at ${CHROMIUM}; install Debian's chromium package`;
  if (process.env.CI) throw new Error(`CI is set and ${reason}: browser tests must not skip in CI`);
  console.warn(`skipping browser tests: ${reason}`);
  return { available: false, reason };
}

const { available } = requireChromium();

const START = Date.parse('2026-12-03T10:00:00Z');

function record(overrides: Partial<SyntheticSpec> = {}) {
  return syntheticRun({
    scenario: 'hog-limits',
    description: 'A 200 MiB hog under limits of 64m and 256m: killed, then surviving.',
    runId: '20261203-100000-b0b0',
    kernel: '6.8.0-49-generic',
    cgroupVersion: 2,
    startMs: START,
    samplesPerRun: 120,
    intervalMs: 50,
    variants: [
      { name: 'limit-64m', limitMiB: 64, allocMiB: 200, repeats: 3, swappiness: 10 },
      { name: 'limit-256m', limitMiB: 256, allocMiB: 200, repeats: 3, swapMiB: 0, reservationMiB: 128 },
    ],
    ...overrides,
  });
}

/** Hostile text in a container's name and output, a kernel report line and the scenario's description. */
function hostileRecord() {
  const run = record({ container: HOSTILE, description: `described as ${HOSTILE}`, extraLogLines: [SCRIPT, IMG], extraReportLines: [SCRIPT, IMG] });
  run.record.variants[0]!.runs[0]!.containers[0]!.kills[0]!.comm = HOSTILE;
  return run;
}

describe.runIf(available)('reports in chromium', () => {
  let context: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), 'oomlab-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1400, height: 900 } });
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** Writes the page into test-output/browser/ and opens it from there; collects what the page complains about. */
  async function open(name: string, html: string): Promise<{ page: Page; problems: string[] }> {
    const file = join(OUT, `${name}.html`);
    writeFileSync(file, html);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('request', (request) => {
      if (!request.url().startsWith('file://')) problems.push(`request: ${request.url()}`);
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return { page, problems };
  }

  async function expectChartWithKill(page: Page) {
    const chart = page.locator('svg.timeline').first();
    await expect(chart.isVisible()).resolves.toBe(true);
    const box = await chart.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.width).toBeGreaterThan(200);
    expect(box!.height).toBeGreaterThan(80);
    const kill = chart.locator('g.kill line.kill-line').first();
    expect(await chart.locator('g.kill').count()).toBeGreaterThan(0);
    const killBox = await kill.boundingBox();
    expect(killBox!.height).toBeGreaterThan(50);
    // The marker sits inside the chart.
    expect(killBox!.x).toBeGreaterThanOrEqual(box!.x);
    expect(killBox!.x).toBeLessThanOrEqual(box!.x + box!.width);
  }

  it('shows the per-run report: outcome table, memory chart with a kill marker', async () => {
    const { record: rec, samples } = record();
    const { page, problems } = await open('run-report', renderRunReport(rec, samples));
    const row = page.locator('table.summary tbody tr', { hasText: 'limit-64m' });
    await expect(row.locator('.badge', { hasText: 'oom-killed' }).first().isVisible()).resolves.toBe(true);
    await expect(page.locator('table.summary tbody tr', { hasText: 'survived' }).first().isVisible()).resolves.toBe(true);
    await expectChartWithKill(page);
    await page.screenshot({ path: join(OUT, 'run-report.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows the comparison report: outcome table with the change highlighted, charts with kill markers', async () => {
    const baseline = record({ runId: '20261201-090000-a0a0', kernel: '5.15.0-126-generic', cgroupVersion: 1, startMs: START - 2 * 86_400_000 });
    const changed = record({
      variants: [
        { name: 'limit-64m', limitMiB: 64, allocMiB: 200, repeats: 3, swappiness: 10 },
        { name: 'limit-256m', limitMiB: 256, allocMiB: 200, repeats: 3, reservationMiB: 128, survives: (i) => i !== 2 },
      ],
      seed: 9,
    });
    const html = renderComparisonReport([{ ...changed, label: 'staging · 6.8 · cgroup v2' }], { baseline: { ...baseline, label: 'production · 5.15 · cgroup v1' } });
    const { page, problems } = await open('comparison-report', html);
    const table = page.locator('table.compare');
    await expect(table.locator('.badge', { hasText: 'oom-killed' }).first().isVisible()).resolves.toBe(true);
    await expect(table.locator('thead').textContent()).resolves.toContain('baseline · production · 5.15 · cgroup v1');
    const differs = table.locator('td.differs');
    expect(await differs.count()).toBe(1);
    await expect(differs.first().textContent()).resolves.toContain('≠ baseline: survived ×3 of 3');
    await expect(page.locator('table.glance').isVisible()).resolves.toBe(true);
    await expectChartWithKill(page);
    expect(await page.locator('svg.timeline').count()).toBe(4);
    // Settings the host discarded are highlighted.
    await expect(page.locator('table.settings td.tone-warn').first().textContent()).resolves.toContain('cgroup v2 has no per-cgroup swappiness');
    await page.screenshot({ path: join(OUT, 'comparison-report.png'), fullPage: true });
    await page.locator('svg.timeline').first().screenshot({ path: join(OUT, 'comparison-chart.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  const csp = /<meta http-equiv="Content-Security-Policy"[^>]*>/;
  const hostile = hostileRecord();
  const pages: Array<[string, string]> = [
    ['run-report-hostile', renderRunReport(hostile.record, hostile.samples)],
    ['comparison-report-hostile', renderComparisonReport([{ ...hostile, label: HOSTILE }, record({ runId: 'other', container: HOSTILE })])],
  ];
  // Without the CSP as well: escaping alone must keep the text inert.
  for (const [name, html] of [...pages, ...pages.map(([name, html]): [string, string] => [`${name}-no-csp`, html.replace(csp, '')])]) {
    it(`keeps hostile text inert: ${name}`, async () => {
      expect(csp.test(html)).toBe(!name.endsWith('-no-csp'));
      const { page, problems } = await open(name, html);
      // Open every disclosure so the kernel reports and the output are rendered too.
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => d.setAttribute('open', '')));
      await page.waitForTimeout(300);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
      expect(await page.locator('img[src="x"]').count()).toBe(0);
      expect(await page.locator('img, script, iframe, [onerror]').count()).toBe(0);
      // The text is there, as text: in the description, the container's name, its output and the kernel report.
      await expect(page.locator('.lede', { hasText: 'described as' }).first().textContent()).resolves.toContain(`described as ${HOSTILE}`);
      expect(await page.getByText(SCRIPT, { exact: false }).count()).toBeGreaterThan(2);
      const raw = await page.locator('pre.raw').allTextContents();
      expect(raw.some((text) => text.includes(IMG))).toBe(true);
      expect(problems).toEqual([]);
      if (name === 'comparison-report-hostile') await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
      await page.close();
    });
  }
});
