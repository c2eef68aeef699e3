import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import type { SampleRecord } from '../observe/cgroup-sampler.ts';
import type { ContainerResult, KillRecord, RunHostRecord, RunRecord, RunResult, VariantRecord } from '../record/run-record.ts';
import { renderRunReport } from './render-run-report.ts';
import { buildRunReportModel, samplesForRun } from './run-report-model.ts';
import { indexSamples } from './sample-index.ts';

const MIB = 1024 * 1024;
const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';

function kill(overrides: Partial<KillRecord> = {}): KillRecord {
  return {
    pid: 4242,
    comm: 'hog',
    scope: 'container',
    oomScoreAdj: 0,
    anonRssKb: 65024,
    cgroup: '/docker/abc',
    oomCgroup: '/docker/abc',
    constraint: 'CONSTRAINT_MEMCG',
    kernelTime: '2026-12-03T10:00:02.500Z',
    kernelTimestampUs: 1_000_000,
    observedAt: '2026-12-03T10:00:02.510Z',
    lagMs: 10,
    invokedBy: 'hog (pid 4242)',
    report: ['hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0', 'weird line with <b>bold</b> & more', 'Memory cgroup out of memory: Killed process 4242 (hog)'],
    ...overrides,
  };
}

function container(overrides: Partial<ContainerResult> = {}): ContainerResult {
  return {
    name: 'hog',
    id: 'abcdef0123456789',
    workload: 'hog',
    mainPid: 4242,
    outcome: 'oom-killed',
    scope: 'container',
    decidedBy: 'kernel-log',
    reason: 'kernel killed the main process, pid 4242 (hog)',
    expected: ['oom-killed'],
    passed: true,
    exitCode: 137,
    oomKilled: true,
    engineDisagrees: false,
    requested: { memory: 64 * MIB, memorySwap: 64 * MIB, memorySwappiness: 10 },
    effective: { memory: 64 * MIB, memorySwap: 64 * MIB, oomScoreAdj: 0 },
    differences: [{ key: 'memorySwappiness', requested: 10, effective: null, reason: 'cgroup v2 has no per-cgroup swappiness; the host discarded it' }],
    warnings: ['Your kernel does not support swap limit capabilities'],
    peakMemoryBytes: 64 * MIB,
    peakSwapBytes: null,
    limitBytes: 64 * MIB,
    timeToKillMs: 2500,
    kills: [kill()],
    logTail: ['starting', SCRIPT, IMG],
    runtimeOomKind: null,
    serviceReport: null,
    workloadReport: { events: ['start', 'progress', SCRIPT], allocatedBytes: 80 * MIB, touchedBytes: 64 * MIB, rssBytes: 63 * MIB, runtime: null, nmt: [] },
    ...overrides,
  };
}

function hostRecord(overrides: Partial<RunHostRecord> = {}): RunHostRecord {
  return {
    sysctls: {},
    swap: null,
    refused: null,
    summary: {
      samples: 0,
      commitLimitBytes: null,
      committedAsStartBytes: null,
      committedAsMaxBytes: null,
      memAvailableMinBytes: null,
      memFreeMinBytes: null,
      swapUsedMaxBytes: null,
      oomKills: null,
      pgscan: null,
      pgsteal: null,
      allocstall: null,
      pressureSomeMaxAvg10: null,
      watermarks: null,
    },
    ...overrides,
  };
}

function run(containers: ContainerResult[], overrides: Partial<RunResult> = {}): RunResult {
  return { index: 0, startedAt: '2026-12-03T10:00:00.000Z', finishedAt: '2026-12-03T10:00:05.000Z', durationMs: 5000, passed: true, host: hostRecord(), containers, ...overrides };
}

function variant(runs: RunResult[], overrides: Partial<VariantRecord> = {}): VariantRecord {
  return {
    name: 'limit-64m',
    description: 'a 64 MiB limit',
    matrix: { memory: '64m' },
    passed: true,
    settings: {
      timeoutMs: 30_000,
      virtualHost: null,
      containers: { hog: { workload: 'hog', image: 'oomlab/hog:latest', command: ['hog', '--alloc', '200m'], requested: { memory: 64 * MIB, memorySwap: 64 * MIB, memorySwappiness: 10 } } },
    },
    outcomes: { hog: { 'oom-killed': runs.length } },
    runs,
    ...overrides,
  };
}

function record(variants: VariantRecord[], overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    schemaVersion: 1,
    scenario: 'synthetic',
    description: `a scenario whose description tries ${SCRIPT}`,
    scenarioFile: '/tmp/synthetic.yaml',
    runId: '20261203-100000-abcd',
    startedAt: '2026-12-03T10:00:00.000Z',
    finishedAt: '2026-12-03T10:00:06.000Z',
    engine: { name: 'docker', version: '27.0.1', cgroupDriver: 'systemd' },
    host: {
      kernel: '6.8.0',
      cgroupVersion: 2,
      memTotalBytes: 8 * 1024 * MIB,
      swapTotalBytes: 0,
      memAvailableBytes: 6 * 1024 * MIB,
      sysctls: { 'vm.overcommit_memory': '0', 'vm.panic_on_oom': '0' },
      swapAccounting: true,
      canLowerOomScoreAdj: false,
      kernelLogReadable: true,
      sysctlsWritable: true,
      harnessOomScoreAdj: -1000,
      kernelLog: 'kmsg',
      kernelLogProblem: null,
    },
    passed: true,
    interrupted: null,
    variants,
    ...overrides,
  };
}

/** A sample every 100 ms from the run's start, usage rising by 8 MiB a step. */
function samples(count: number, name = 'hog', start = Date.parse('2026-12-03T10:00:00.100Z')): SampleRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    at: new Date(start + i * 100).toISOString(),
    container: name,
    usageBytes: Math.min(64, 1 + i * 8) * MIB,
    limitBytes: 64 * MIB,
    swapBytes: 0,
    rssBytes: null,
    cacheBytes: null,
    peakBytes: null,
    failcnt: null,
    oomKillCount: 0,
    underOom: null,
  }));
}

describe('renderRunReport', () => {
  const hostile = record([variant([run([container()])])]);
  const html = renderRunReport(hostile, samples(25));

  it('escapes what workloads, the kernel and names print', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(html).toContain('weird line with &lt;b&gt;bold&lt;/b&gt; &amp; more');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>bold');
  });

  it('escapes hostile names in every place they appear', () => {
    const evil = record([
      variant([run([container({ name: IMG, kills: [kill({ comm: SCRIPT })] })])], {
        name: IMG,
        matrix: { [IMG]: SCRIPT },
        settings: { timeoutMs: 1000, virtualHost: null, containers: { [IMG]: { workload: SCRIPT, image: IMG, command: [SCRIPT], requested: { sysctls: { [IMG]: SCRIPT } } } } },
        outcomes: { [IMG]: { 'oom-killed': 1 } },
      }),
    ]);
    const out = renderRunReport(evil, samples(25, IMG));
    expect(out).not.toContain('<script');
    expect(out).not.toContain('<img src=x');
    // The kill marker's label and tooltip carry the comm too.
    expect(out).toMatch(/<title>OOM kill of pid 4242 \(&lt;script&gt;/);
  });

  it('is one self-contained page: no scripts, nothing fetched', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(html).toContain("default-src 'none'");
  });

  it('puts the outcome, the verdict and the victim in the summary table', () => {
    const table = html.slice(html.indexOf('<table class="summary">'), html.indexOf('</table>', html.indexOf('<table class="summary">')));
    expect(table).toContain('oom-killed');
    expect(table).toContain('(container)');
    expect(table).toContain('passed');
    expect(table).toContain('<b>4242</b>');
    expect(table).toContain('2.5 s');
    expect(table).toContain('64.0 MiB / 64.0 MiB');
    expect(table).toContain('kernel-log');
  });

  it("shows what the workload said about itself", () => {
    expect(html).toContain('<dt>workload reported</dt><dd>allocated 80.0 MiB · touched 64.0 MiB · rss 63.0 MiB');
    expect(html).toContain('events: start → progress → &lt;script&gt;');
  });

  it('draws a memory timeline with a kill marker', () => {
    expect(html).toContain('<svg class="timeline"');
    expect(html).toMatch(/<line class="kill-line" x1="[\d.]+"/);
    expect(html).toContain('kill 4242');
    expect(html).toContain('class="limit"');
  });

  it('puts the kernel report and the log tail behind disclosures', () => {
    expect(html).toMatch(/<summary>kernel OOM report \(3 lines\)<\/summary>\s*<pre class="raw">hog invoked oom-killer/);
    expect(html).toMatch(/<summary>container output, last 3 lines<\/summary>/);
  });

  it('highlights requested settings that are not in force, with the reason', () => {
    expect(html).toMatch(/<tr class="tone-warn">\s*<td class="setting-key"><span class="mono">memorySwappiness<\/span>/);
    expect(html).toContain('cgroup v2 has no per-cgroup swappiness; the host discarded it');
    expect(html).toContain('Your kernel does not support swap limit capabilities');
  });

  it('shows host facts and the outcomes glossary', () => {
    expect(html).toContain('CAP_SYS_RESOURCE');
    expect(html).toContain('vm.overcommit_memory');
    expect(html).toContain('docker 27.0.1 (cgroup driver: systemd)');
    expect(html).toContain('the OOM killer was disabled and the cgroup sat under_oom');
  });

  it('renders a run with no samples', () => {
    const out = renderRunReport(record([variant([run([container({ logTail: [] })])])]), []);
    expect(out).toContain('No samples: the container ended before the first reading.');
    expect(out).not.toContain('<svg class="timeline"');
    expect(out).toContain('The container printed nothing.');
    // The kill is still reported.
    expect(out).toContain('OOM kill: pid <b>4242</b>');
  });

  it('renders a run with a single sample, a start failure and an interrupted record', () => {
    const failed = container({ name: 'other', outcome: 'start-failed', scope: null, decidedBy: 'harness', reason: 'no bridge', passed: false, kills: [], effective: {}, differences: [], warnings: [], peakMemoryBytes: null, limitBytes: null, timeToKillMs: null, exitCode: null, oomKilled: null, mainPid: null, id: null, logTail: [] });
    const rec = record([variant([run([container(), failed])])], { interrupted: 'SIGINT', passed: false });
    const out = renderRunReport(rec, samples(1));
    expect(out).toContain('One sample only');
    expect(out).toContain('No samples: the container never started.');
    expect(out).toContain('<b>Interrupted:</b> SIGINT');
  });

  it('renders a record with no variants', () => {
    expect(renderRunReport(record([]), [])).toContain('No variant ran.');
  });

  it("shows the host's side of a run: sysctls set, a refusal, and what the host went through", () => {
    const host = hostRecord({
      sysctls: { 'vm.overcommit_memory': { before: '0', during: '2', after: '0' }, 'vm.swappiness': { before: '60', during: '10', after: '10' } },
      swap: { requestedBytes: 512 * MIB, enabled: false, error: 'swapon: Operation not permitted' },
      refused: `swapon failed ${SCRIPT}`,
      summary: { ...hostRecord().summary, samples: 12, memAvailableMinBytes: 100 * MIB, oomKills: 1, pgscan: 1234, pgsteal: 1000, allocstall: 3, pressureSomeMaxAvg10: 4.5 },
    });
    const out = renderRunReport(record([variant([run([container()], { host })])]), samples(5));
    expect(out).toContain('The host refused a change this run needs:</b> swapon failed &lt;script&gt;');
    expect(out).toMatch(/<tr class="tone-fail"><td class="mono">vm.swappiness<\/td>/);
    expect(out).toContain('512 MiB not enabled');
    expect(out).toContain('pgscan 1,234 · pgsteal 1,000 · allocstall 3');
    expect(out).toContain('100 MiB');
    expect(out).not.toContain('<script');
  });

  it('renders records written before runs carried host data', () => {
    const old = record([variant([run([container()])])]);
    delete (old.variants[0]!.runs[0] as Partial<RunResult>).host;
    delete (old.host as Partial<RunRecord['host']>).sysctlsWritable;
    delete (old.host as Partial<RunRecord['host']>).harnessOomScoreAdj;
    delete (old.variants[0]!.runs[0]!.containers[0] as Partial<ContainerResult>).workloadReport;
    delete (old.variants[0]!.runs[0]!.containers[0] as Partial<ContainerResult>).peakSwapBytes;
    const out = renderRunReport(old, samples(5));
    expect(out).toContain('kill 4242');
    expect(out).not.toContain('vm sysctls writable');
    expect(out).not.toContain('<dt>workload reported</dt>');
  });

  it('registers nothing on the global Handlebars', () => {
    expect(Object.keys(Handlebars.partials)).not.toContain('badge');
    expect(Object.keys(Handlebars.partials)).not.toContain('timeline');
  });
});

describe('buildRunReportModel', () => {
  it('gives each run its own samples, by container name and time window', () => {
    const first = run([container()], { index: 0, startedAt: '2026-12-03T10:00:00.000Z', finishedAt: '2026-12-03T10:00:05.000Z' });
    const second = run([container({ kills: [kill({ pid: 5555, kernelTime: '2026-12-03T10:00:07.000Z' })] })], {
      index: 1,
      startedAt: '2026-12-03T10:00:05.000Z',
      finishedAt: '2026-12-03T10:00:10.000Z',
    });
    const all = [...samples(10), ...samples(10, 'hog', Date.parse('2026-12-03T10:00:05.500Z')), ...samples(10, 'other')];
    expect(samplesForRun(indexSamples(all), first, 'hog')).toHaveLength(10);
    expect(samplesForRun(indexSamples(all), second, 'hog')).toHaveLength(10);
    const model = buildRunReportModel(record([variant([first, second])]), all);
    const timelines = model.variants[0]!.runs.map((r) => r.containers[0]!.timeline);
    expect(timelines.map((t) => t.sampleCount)).toEqual([10, 10]);
    // x is seconds since the container's first sample in that run: the second kill is 1.5 s in.
    expect(timelines[1]!.series!.kills[0]!.t).toBeCloseTo(1.5);
    expect(model.summary[0]!.outcomes[0]).toMatchObject({ outcome: 'oom-killed', count: 2, countText: '×2 of 2' });
  });

  it('downsamples long timelines but keeps the peak', () => {
    const many = samples(3000).map((sample, i) => ({ ...sample, usageBytes: (i === 1777 ? 63 : 10 + (i % 7)) * MIB, at: new Date(Date.parse('2026-12-03T10:00:00.001Z') + i).toISOString() }));
    const model = buildRunReportModel(record([variant([run([container()])])]), many);
    const series = model.variants[0]!.runs[0]!.containers[0]!.timeline.series!;
    expect(series.usage.length).toBeLessThanOrEqual(500);
    expect(Math.max(...series.usage.map((p) => p.v))).toBe(63);
  });

  it('falls back to the time the harness saw a kill when the kernel time is unknown', () => {
    const model = buildRunReportModel(record([variant([run([container({ kills: [kill({ kernelTime: null, observedAt: '2026-12-03T10:00:01.100Z' })] })])])]), samples(20));
    const series = model.variants[0]!.runs[0]!.containers[0]!.timeline.series!;
    expect(series.kills[0]).toMatchObject({ timeSource: 'observed' });
    expect(series.kills[0]!.t).toBeCloseTo(1.0);
  });

  it('marks spans where the cgroup sat under_oom', () => {
    const hung = samples(20).map((sample, i) => ({ ...sample, underOom: i >= 8 && i < 15 }));
    const model = buildRunReportModel(record([variant([run([container({ outcome: 'oom-hung', kills: [] })])])]), hung);
    const view = model.variants[0]!.runs[0]!.containers[0]!.timeline;
    expect(view.series!.underOom).toEqual([{ from: expect.closeTo(0.8), to: expect.closeTo(1.5) }]);
    expect(view.chart!.underOomBands).toHaveLength(1);
  });
});
