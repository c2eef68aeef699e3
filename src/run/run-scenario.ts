import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock/clock.ts';
import { iso } from '../clock/clock.ts';
import type { CgroupMounts } from '../cgroup/cgroup-path.ts';
import type { Engine } from '../engine/engine.ts';
import type { Evidence } from '../evidence/evidence.ts';
import { readHostInfo } from '../host/host-facts.ts';
import { isProcessAlive } from '../host/host-fs.ts';
import { VirtualHosts } from '../host/virtual-host.ts';
import type { SampleRecord } from '../observe/cgroup-sampler.ts';
import { startKernelLogObserver } from '../observe/kernel-log-observer.ts';
import type { RunPlan, ScenarioPlan } from '../plan/plan.ts';
import { addRun, emptyVariantRecord } from '../record/build-record.ts';
import { RecordWriter } from '../record/record-writer.ts';
import { RUN_RECORD_SCHEMA_VERSION, type RunRecord, type RunResult } from '../record/run-record.ts';
import { executeRun } from './execute-run.ts';
import type { HostSample } from '../host/host-sample.ts';

/** What the CLI shows while a scenario runs. */
export interface ProgressListener {
  housekeeping(message: string): void;
  runStarting(run: RunPlan, total: number): void;
  evidence(item: Evidence): void;
  sample(sample: SampleRecord): void;
  runFinished(run: RunPlan, result: RunResult): void;
}

export interface RunScenarioOptions {
  plan: ScenarioPlan;
  scenarioFile: string;
  engine: Engine;
  mounts: CgroupMounts;
  clock: Clock;
  /** The run directory; defaults to reports/<scenario>/<run-id>. */
  outDir: (runId: string) => string;
  progress: ProgressListener;
  signal: AbortSignal;
  sampleIntervalMs?: number;
  /** Where the host-knob journal and swap files live. */
  stateDir: string;
  /** Renders report.html from the finished record and its memory samples. */
  renderReport?: (record: RunRecord, samples: readonly SampleRecord[]) => string;
}

export interface ScenarioRunResult {
  record: RunRecord;
  dir: string;
}

export function newRunId(clock: Clock): string {
  const stamp = iso(clock.nowMs()).replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/** Runs every planned run in order and writes the run record. Stops early, cleanly, when `signal` aborts. */
export async function runScenario(options: RunScenarioOptions): Promise<ScenarioRunResult> {
  const { plan, engine, clock, progress } = options;
  const engineInfo = await engine.info();
  const virtualHosts = new VirtualHosts(options.mounts);
  const reapedContainers = await engine.reapLeftovers(isProcessAlive);
  const reapedHosts = await virtualHosts.reapLeftovers(isProcessAlive);
  if (reapedContainers.length > 0) progress.housekeeping(`removed ${reapedContainers.length} container(s) left by earlier runs: ${reapedContainers.join(', ')}`);
  if (reapedHosts.length > 0) progress.housekeeping(`removed stand-in host cgroup(s) left by earlier runs: ${reapedHosts.join(', ')}`);

  const runId = newRunId(clock);
  const dir = options.outDir(runId);
  const writer = new RecordWriter(dir);
  const host = readHostInfo(options.mounts);
  const kernelLog = await startKernelLogObserver({ clock });
  if (kernelLog.problem) progress.housekeeping(`kernel log unreadable (${kernelLog.problem}); outcomes fall back to the cgroups' OOM counters`);
  const startedAt = iso(clock.nowMs());
  let variants = plan.variants.map(emptyVariantRecord);
  let interrupted: string | null = null;
  const samples: SampleRecord[] = [];
  const sink = {
    evidence: (item: Evidence) => {
      writer.evidence(item);
      progress.evidence(item);
    },
    sample: (sample: SampleRecord) => {
      samples.push(sample);
      writer.sample(sample);
      progress.sample(sample);
    },
    hostSample: (sample: HostSample) => writer.hostSample(sample),
  };
  const record = (): RunRecord => ({
    schemaVersion: RUN_RECORD_SCHEMA_VERSION,
    scenario: plan.scenario,
    description: plan.description,
    scenarioFile: options.scenarioFile,
    runId,
    startedAt,
    finishedAt: iso(clock.nowMs()),
    engine: { name: engineInfo.name, version: engineInfo.version, cgroupDriver: engineInfo.cgroupDriver },
    host: { ...host, kernelLog: kernelLog.source, kernelLogProblem: kernelLog.problem },
    passed: variants.every((variant) => variant.passed),
    interrupted,
    variants,
  });

  let final: RunRecord | null = null;
  try {
    for (const run of plan.runs) {
      if (options.signal.aborted) break;
      progress.runStarting(run, plan.runs.length);
      const result = await executeRun(run, {
        engine,
        kernelLog,
        virtualHosts,
        host,
        mounts: options.mounts,
        clock,
        labels: { runId, scenario: plan.scenario, harnessPid: process.pid },
        sink,
        signal: options.signal,
        sampleIntervalMs: options.sampleIntervalMs ?? 100,
        stateDir: options.stateDir,
      });
      // An interrupted run did not finish, so its outcomes would be guesses.
      if (options.signal.aborted) break;
      variants = variants.map((variant) => (variant.name === run.variant.name ? addRun(variant, result) : variant));
      progress.runFinished(run, result);
    }
  } finally {
    if (options.signal.aborted) interrupted = String(options.signal.reason ?? 'interrupted');
    kernelLog.stop();
    await engine.removeRun(runId).catch(() => 0);
    final = record();
    writer.writeRecord(final);
    if (options.renderReport) writer.writeFile('report.html', options.renderReport(final, samples));
    writer.close();
  }
  return { record: final, dir };
}
