import type { Evidence } from '../evidence/evidence.ts';
import { iso } from '../clock/clock.ts';
import { classifyContainer, gatherFacts } from '../outcome/classify.ts';
import type { Outcome } from '../outcome/outcomes.ts';
import type { ContainerSpec, VariantPlan } from '../plan/plan.ts';
import { readWorkloadReport } from '../workload/workload-output.ts';
import type { ContainerResult, KillRecord, RunResult, VariantRecord } from './run-record.ts';

export interface ContainerObservations {
  peakMemoryBytes: number | null;
  peakSwapBytes: number | null;
  limitBytes: number | null;
  logTail: string[];
  output: string;
}

/** One container's result from the run's evidence. Pure. */
export function buildContainerResult(
  spec: ContainerSpec,
  evidence: readonly Evidence[],
  observations: ContainerObservations,
  expected: Outcome[] | null,
  kernelTimeToWallMs: (kernelTimeUs: number) => number,
): ContainerResult {
  const facts = gatherFacts(evidence, spec.name);
  const verdict = classifyContainer(facts);
  const mine = evidence.filter((item) => 'container' in item && item.container === spec.name);
  const created = mine.find((item) => item.kind === 'container-created');
  const started = mine.find((item) => item.kind === 'container-started');
  const settings = mine.find((item) => item.kind === 'settings');
  const warnings = [
    ...(created?.kind === 'container-created' ? created.warnings : []),
    ...mine.filter((item) => item.kind === 'warning').map((item) => (item.kind === 'warning' ? item.message : '')),
  ];
  const kills: KillRecord[] = facts.kills.map(({ report, scope, observedAt }) => {
    const kernelWallMs = report.kernelTimeUs === null ? null : kernelTimeToWallMs(report.kernelTimeUs);
    return {
      pid: report.victimPid,
      comm: report.victimComm,
      scope,
      oomScoreAdj: report.oomScoreAdj,
      anonRssKb: report.anonRssKb,
      cgroup: report.taskMemcg,
      oomCgroup: report.oomMemcg,
      constraint: report.constraint,
      kernelTime: kernelWallMs === null ? null : iso(kernelWallMs),
      kernelTimestampUs: report.kernelTimeUs,
      observedAt,
      lagMs: kernelWallMs === null ? null : Math.round((Date.parse(observedAt) - kernelWallMs) * 10) / 10,
      invokedBy: report.invokedBy ? `${report.invokedBy.comm}${report.invokedBy.pid ? ` (pid ${report.invokedBy.pid})` : ''}` : null,
      report: report.rawLines,
    };
  });
  const firstKill = kills[0]?.kernelTime ?? kills[0]?.observedAt;
  // A fast workload dies between two samples; the kernel's report gives the usage at the moment of the OOM.
  const usageAtOom = facts.kills
    .filter((kill) => kill.scope === 'container' && kill.report.memcgUsageKb !== null)
    .map((kill) => kill.report.memcgUsageKb! * 1024);
  const peakMemoryBytes = [observations.peakMemoryBytes, ...usageAtOom].reduce<number | null>((max, value) => (value === null ? max : Math.max(max ?? 0, value)), null);
  return {
    name: spec.name,
    id: created?.kind === 'container-created' ? created.id : null,
    workload: spec.workload,
    mainPid: facts.mainPid,
    outcome: verdict.outcome,
    scope: verdict.scope,
    decidedBy: verdict.decidedBy,
    reason: verdict.reason,
    runtimeOomKind: verdict.outcome === 'runtime-oom' ? verdict.detail : null,
    expected,
    passed: expected ? expected.includes(verdict.outcome) : null,
    exitCode: facts.final?.exitCode ?? null,
    oomKilled: facts.final?.oomKilled ?? null,
    engineDisagrees: verdict.engineDisagrees,
    requested: spec.requested,
    effective: settings?.kind === 'settings' ? settings.effective : {},
    differences: settings?.kind === 'settings' ? settings.differences : [],
    warnings,
    peakMemoryBytes,
    peakSwapBytes: observations.peakSwapBytes,
    limitBytes: observations.limitBytes,
    timeToKillMs: firstKill && started ? Math.max(0, Date.parse(firstKill) - Date.parse(started.at)) : null,
    kills,
    logTail: observations.logTail,
    workloadReport: readWorkloadReport(observations.output),
    serviceReport: mine.reduce<ContainerResult['serviceReport']>((last, item) => (item.kind === 'service-report' ? item.report : last), null),
  };
}

export function emptyVariantRecord(variant: VariantPlan): VariantRecord {
  return {
    name: variant.name,
    description: variant.description,
    matrix: variant.matrix,
    passed: true,
    settings: {
      timeoutMs: variant.timeoutMs,
      virtualHost: variant.virtualHost,
      containers: Object.fromEntries(
        variant.containers.map((c) => [c.name, { workload: c.workload, image: c.image, command: c.command, requested: c.requested }]),
      ),
    },
    outcomes: {},
    runs: [],
  };
}

/** Adds a run to its variant, keeping the outcome counts and the pass flag. Pure: returns a new record. */
export function addRun(variant: VariantRecord, run: RunResult): VariantRecord {
  const outcomes = structuredClone(variant.outcomes);
  for (const container of run.containers) {
    const counts = (outcomes[container.name] ??= {});
    counts[container.outcome] = (counts[container.outcome] ?? 0) + 1;
  }
  return { ...variant, outcomes, runs: [...variant.runs, run], passed: variant.passed && run.passed };
}
