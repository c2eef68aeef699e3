import type { Clock } from '../clock/clock.ts';
import { iso } from '../clock/clock.ts';
import type { CgroupMounts } from '../cgroup/cgroup-path.ts';
import { mapEffectiveSettings } from '../cgroup/memory-files.ts';
import type { ContainerHandle, Engine, RunLabels, StartedContainer } from '../engine/engine.ts';
import { attributeKill, type KnownContainer } from '../evidence/attribute-kill.ts';
import type { Evidence } from '../evidence/evidence.ts';
import { compareSettings } from '../evidence/settings-diff.ts';
import type { HostInfo } from '../host/host-facts.ts';
import { readOomScoreAdj, readSettingFiles } from '../host/host-fs.ts';
import { virtualHostName, type VirtualHost, type VirtualHosts } from '../host/virtual-host.ts';
import { CgroupSampler, type SampleRecord } from '../observe/cgroup-sampler.ts';
import type { KernelLogObserver } from '../observe/kernel-log-observer.ts';
import type { ContainerSpec, MemorySettings, RunPlan } from '../plan/plan.ts';
import { buildContainerResult } from '../record/build-record.ts';
import type { RunResult } from '../record/run-record.ts';
import { findWorkload } from '../workload/catalog.ts';
import { findWorkloadSignals } from '../workload/workload-output.ts';
import { readMysqlReport, runMysqlLoad, waitForMysql } from '../load/mysql-load.ts';
import { createServer } from 'node:net';
import { HostKnobs, readSysctl } from '../host/host-knobs.ts';
import { HostSampler } from '../observe/host-sampler.ts';
import { parseWatermarks, type HostSample, summarizeHostSamples } from '../host/host-sample.ts';
import { readTextOrUndefined } from '../host/host-fs.ts';

/** Where evidence and samples go as they happen. */
export interface RunSink {
  evidence(item: Evidence): void;
  sample(sample: SampleRecord): void;
  hostSample(sample: HostSample): void;
}

export interface RunDependencies {
  engine: Engine;
  kernelLog: KernelLogObserver;
  virtualHosts: VirtualHosts;
  host: HostInfo;
  mounts: CgroupMounts;
  clock: Clock;
  labels: Omit<RunLabels, 'variant'>;
  sink: RunSink;
  /** Aborted on Ctrl-C: the run stops waiting and cleans up. */
  signal: AbortSignal;
  sampleIntervalMs: number;
  /** Where the host-knob journal and swap files live. */
  stateDir: string;
}

/** The host refused a change the run needs; the run ends early and its containers count as `error`. */
class HostRefusal extends Error {}

/** Time for the last engine events and kernel lines to arrive after the containers stopped. */
const SETTLE_MS = 50;
const LOG_TAIL_LINES = 20;
const AFTER_FIRST_KILL_MS = 1000;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs one planned run: stand-in host, containers, observers, wait, final state, cleanup.
 * Cleanup happens in `finally`, so a failed or interrupted run leaves nothing behind.
 */
export async function executeRun(run: RunPlan, deps: RunDependencies): Promise<RunResult> {
  const { engine, clock, sink } = deps;
  const { variant } = run;
  const evidence: Evidence[] = [];
  const push = (item: Evidence) => {
    evidence.push(item);
    sink.evidence(item);
  };
  const now = () => iso(clock.nowMs());
  const startedAtMs = clock.nowMs();
  const labels: RunLabels = { ...deps.labels, variant: variant.name };
  const known: KnownContainer[] = [];
  const handles: ContainerHandle[] = [];
  const started: StartedContainer[] = [];
  const samplers = new Map<string, CgroupSampler>();
  const logs = new Map<string, string>();
  let virtualHost: VirtualHost | null = null;
  const knobs = new HostKnobs(deps.stateDir, clock);
  const hostSampler = new HostSampler(clock, Math.max(deps.sampleIntervalMs, 250), (sample) => sink.hostSample(sample));
  const hostRecord: RunResult['host'] = { sysctls: {}, swap: null, refused: null, summary: summarizeHostSamples([], null) };
  let watermarks: ReturnType<typeof parseWatermarks> | null = null;

  push({ kind: 'run-started', at: now(), variant: variant.name, repeatIndex: run.repeatIndex, kernelLog: deps.kernelLog.source });
  deps.kernelLog.mark(`run ${labels.runId} ${variant.name} #${run.repeatIndex + 1} starts`);
  let firstKillAtMs: number | null = null;
  const unsubscribeKills = deps.kernelLog.subscribe((report, observedAtMs) => {
    const attribution = attributeKill(report, known);
    const inVirtualHost = virtualHost !== null && report.oomMemcg !== null && report.oomMemcg.startsWith(virtualHost.path);
    // A kill elsewhere on the machine is not this run's evidence.
    if (attribution.container === null && !inVirtualHost) return;
    firstKillAtMs ??= observedAtMs;
    push({ kind: 'kernel-oom-kill', at: iso(observedAtMs), container: attribution.container, scope: attribution.scope, source: deps.kernelLog.source, report });
  });
  const idToName = new Map<string, string>();
  const stopEvents = await engine
    .watchEvents(labels.runId, (event) => {
      const container = idToName.get(event.id);
      if (container) push({ kind: 'engine-event', at: now(), container, action: event.action, exitCode: event.exitCode, signal: event.signal });
    })
    .catch((error: unknown) => {
      push({ kind: 'warning', at: now(), container: null, message: `engine events unavailable: ${errorText(error)}` });
      return () => undefined;
    });

  try {
    try {
      if (variant.swapBytes !== null) {
        hostRecord.swap = { requestedBytes: variant.swapBytes, enabled: false, error: null };
        await knobs.enableSwap(variant.swapBytes, `${deps.stateDir}/swap-${labels.harnessPid}-${run.ordinal}.img`);
        hostRecord.swap.enabled = true;
      }
      const before = Object.fromEntries(Object.keys(variant.hostSysctls).map((name) => [name, readSysctl(name)]));
      knobs.setSysctls(variant.hostSysctls);
      const sysctls = Object.fromEntries(Object.keys(variant.hostSysctls).map((name) => [name, { before: before[name] ?? null, during: readSysctl(name) }]));
      for (const [name, values] of Object.entries(sysctls)) hostRecord.sysctls[name] = { ...values, after: null };
      if (variant.swapBytes !== null || Object.keys(sysctls).length > 0) push({ kind: 'host-knobs', at: now(), sysctls, swapBytes: variant.swapBytes });
    } catch (error) {
      hostRecord.refused = errorText(error);
      if (hostRecord.swap && !hostRecord.swap.enabled) hostRecord.swap.error = errorText(error);
      push({ kind: 'host-knob-refused', at: now(), message: errorText(error) });
      throw new HostRefusal();
    }
    const zoneinfo = await readTextOrUndefined('/proc/zoneinfo');
    watermarks = zoneinfo ? parseWatermarks(zoneinfo) : null;
    hostSampler.start();
    if (variant.virtualHost) {
      virtualHost = await deps.virtualHosts.acquire(virtualHostName(labels.harnessPid, labels.runId, run.ordinal), variant.virtualHost);
    }
    const ports = new Map<string, number>();
    for (const declared of variant.containers) {
      let spec = declared;
      if (spec.servicePortEnv) {
        const port = await freeLoopbackPort();
        ports.set(spec.name, port);
        spec = { ...spec, env: { ...spec.env, [spec.servicePortEnv]: String(port) } };
      }
      const omit: Array<keyof MemorySettings> = [];
      if ((spec.requested.oomScoreAdj ?? 0) < 0 && !deps.host.canLowerOomScoreAdj) {
        omit.push('oomScoreAdj');
        push({ kind: 'warning', at: now(), container: spec.name, message: `oomScoreAdj ${spec.requested.oomScoreAdj} refused: a negative oom_score_adj needs CAP_SYS_RESOURCE, which this host lacks; the container runs at 0` });
      }
      try {
        const handle = await engine.create(spec, { labels, cgroupParent: virtualHost?.path ?? null, omit });
        handles.push(handle);
        idToName.set(handle.id, spec.name);
        known.push({ name: spec.name, id: handle.id, mainPid: null, cgroupPath: null });
        push({ kind: 'container-created', at: now(), container: spec.name, id: handle.id, warnings: handle.warnings });
      } catch (error) {
        push({ kind: 'start-failed', at: now(), container: spec.name, message: errorText(error) });
      }
    }
    for (const handle of handles) {
      const spec = variant.containers.find((c) => c.name === handle.name)!;
      try {
        const container = await engine.start(handle);
        started.push(container);
        const entry = known.find((k) => k.id === handle.id)!;
        entry.mainPid = container.mainPid;
        entry.cgroupPath = container.cgroup?.memoryPath ?? null;
        push({ kind: 'container-started', at: now(), container: spec.name, id: handle.id, mainPid: container.mainPid, cgroup: container.cgroup?.memoryPath ?? null });
        await recordSettings(spec, container, deps, push);
        if (container.cgroup) {
          const sampler = new CgroupSampler({
            container: spec.name,
            location: container.cgroup,
            clock,
            intervalMs: deps.sampleIntervalMs,
            hungAfterMs: variant.hungAfterMs,
            onSample: (sample) => sink.sample(sample),
            onEvidence: push,
          });
          samplers.set(spec.name, sampler);
          sampler.start();
        }
      } catch (error) {
        push({ kind: 'start-failed', at: now(), container: spec.name, message: errorText(error) });
      }
    }

    const stopped = new Set<string>();
    const exits = new Map(
      started.map((container) => [
        container.name,
        engine
          .waitForExit(container)
          .catch(() => undefined)
          .then(() => {
            stopped.add(container.name);
          }),
      ]),
    );
    const loads = started
      .filter((container) => variant.containers.find((c) => c.name === container.name)?.load && ports.has(container.name))
      .map((container) => serveLoad(container.name, variant.containers.find((c) => c.name === container.name)!, ports.get(container.name)!, () => !stopped.has(container.name), deps, push));
    const loadsSettled = loads.length === 0 ? null : Promise.all(loads);
    const firstKill = variant.until === 'first-kill' ? () => firstKillAtMs : () => null;
    const ending = await waitForEnd(started, samplers, exits, stopped, loadsSettled, firstKill, startedAtMs + variant.timeoutMs, deps);
    if (ending === 'loads-ended' || ending === 'first-kill') push({ kind: 'run-ended-early', at: now(), reason: ending === 'first-kill' ? 'first-kill' : 'load-finished' });
    deps.kernelLog.pollNow();
    await clock.sleep(SETTLE_MS);
    deps.kernelLog.pollNow();
    await Promise.all([...samplers.values()].map((sampler) => sampler.stop()));

    if (!deps.signal.aborted) {
      for (const container of started) {
        const final = await engine.finalState(container).catch(() => null);
        if (final) {
          push({ kind: 'container-exited', at: now(), container: container.name, exitCode: final.exitCode, oomKilled: final.oomKilled, running: final.running, error: final.error });
          if (final.running && ending === 'deadline' && !samplers.get(container.name)?.hung) push({ kind: 'timeout', at: now(), container: container.name, timeoutMs: variant.timeoutMs });
        }
        const output = await engine.logs(container).catch(() => '');
        logs.set(container.name, output);
        const signals = findWorkload(variant.containers.find((c) => c.name === container.name)!.workload)?.outputSignals ?? [];
        for (const found of findWorkloadSignals(output, signals)) push({ kind: 'workload-signal', at: now(), container: container.name, ...found });
      }
    }
  } catch (error) {
    if (!(error instanceof HostRefusal)) throw error;
  } finally {
    await hostSampler.stop();
    unsubscribeKills();
    stopEvents();
    for (const sampler of samplers.values()) await sampler.stop().catch(() => undefined);
    await Promise.all(handles.map((handle) => engine.remove(handle).catch(() => undefined)));
    if (virtualHost) {
      await deps.virtualHosts.release(virtualHost).catch((error: unknown) => {
        push({ kind: 'warning', at: now(), container: null, message: `stand-in host ${virtualHost!.path} not removed: ${errorText(error)}` });
      });
    }
    const restored = await knobs.release();
    if (restored) push({ kind: 'host-restored', at: now(), restored: restored.restored, failed: restored.failed });
    for (const name of Object.keys(hostRecord.sysctls)) hostRecord.sysctls[name]!.after = readSysctl(name);
  }
  hostRecord.summary = summarizeHostSamples(hostSampler.samples, watermarks);
  push({ kind: 'run-finished', at: now() });

  const containers = variant.containers.map((spec) => {
    const sampler = samplers.get(spec.name);
    const output = logs.get(spec.name) ?? '';
    return buildContainerResult(
      spec,
      evidence,
      { peakMemoryBytes: sampler?.peakBytes ?? null, peakSwapBytes: sampler?.peakSwapBytes ?? null, limitBytes: sampler?.limitBytes ?? null, logTail: output.trimEnd().split('\n').filter(Boolean).slice(-LOG_TAIL_LINES), output },
      variant.expect[spec.name] ?? null,
      (us) => deps.kernelLog.kernelTimeToWallMs(us),
    );
  });
  const finishedAtMs = clock.nowMs();
  return {
    index: run.repeatIndex,
    startedAt: iso(startedAtMs),
    finishedAt: iso(finishedAtMs),
    durationMs: finishedAtMs - startedAtMs,
    passed: containers.every((c) => c.passed !== false),
    host: hostRecord,
    containers,
  };
}

/** Reads what the kernel enforces right after start; a container that died first cannot be read. */
async function recordSettings(spec: ContainerSpec, container: StartedContainer, deps: RunDependencies, push: (item: Evidence) => void): Promise<void> {
  const at = () => iso(deps.clock.nowMs());
  if (!container.cgroup || container.mainPid === null) {
    push({ kind: 'warning', at: at(), container: spec.name, message: 'the container ended before its cgroup could be read; effective settings unknown' });
    return;
  }
  const files = await readSettingFiles(container.cgroup);
  const oomScoreAdj = await readOomScoreAdj(container.mainPid);
  if (Object.keys(files).length === 0) {
    push({ kind: 'warning', at: at(), container: spec.name, message: 'the cgroup was gone before its settings could be read; effective settings unknown' });
    return;
  }
  const effective = mapEffectiveSettings(container.cgroup.version, files, oomScoreAdj);
  const differences = compareSettings(spec.requested, effective, {
    cgroupVersion: container.cgroup.version,
    swapAccounting: deps.host.swapAccounting,
    canLowerOomScoreAdj: deps.host.canLowerOomScoreAdj,
  });
  push({ kind: 'settings', at: at(), container: spec.name, requested: spec.requested, effective, differences });
}

/**
 * Until every container has stopped or hangs under_oom, or every load phase has ended, or the deadline passes,
 * or the run is interrupted.
 */
async function waitForEnd(
  started: StartedContainer[],
  samplers: Map<string, CgroupSampler>,
  exits: Map<string, Promise<void>>,
  stopped: Set<string>,
  loadsSettled: Promise<unknown> | null,
  firstKillAtMs: () => number | null,
  deadlineMs: number,
  deps: RunDependencies,
): Promise<'interrupted' | 'loads-ended' | 'first-kill' | 'containers-ended' | 'deadline'> {
  let loadsDone = false;
  void loadsSettled?.then(() => {
    loadsDone = true;
  });
  for (;;) {
    if (deps.signal.aborted) return 'interrupted';
    if (loadsDone) return 'loads-ended';
    const killedAt = firstKillAtMs();
    // A moment after the first kill, so a second victim of the same pressure is seen too.
    if (killedAt !== null && deps.clock.nowMs() - killedAt >= AFTER_FIRST_KILL_MS) return 'first-kill';
    const pending = started.filter((c) => !stopped.has(c.name) && !samplers.get(c.name)?.hung);
    if (pending.length === 0) return 'containers-ended';
    const remaining = deadlineMs - deps.clock.nowMs();
    if (remaining <= 0) return 'deadline';
    await Promise.race([...pending.map((c) => exits.get(c.name)), ...(loadsSettled ? [loadsSettled] : []), deps.clock.sleep(Math.min(100, remaining), deps.signal)]);
  }
}

/** A port on 127.0.0.1 that nothing listens on right now, for a service workload on host networking. */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Waits for a service to be ready, runs its load phase, and asks the server for its own view of its memory. */
async function serveLoad(name: string, spec: ContainerSpec, port: number, stillRunning: () => boolean, deps: RunDependencies, push: (item: Evidence) => void): Promise<void> {
  const at = () => iso(deps.clock.nowMs());
  const target = { host: '127.0.0.1', port };
  const startMs = deps.clock.nowMs();
  try {
    await waitForMysql(target, spec.load!.readyTimeoutMs, stillRunning, deps.signal);
    push({ kind: 'service-ready', at: at(), container: name, port, afterMs: Math.round(deps.clock.nowMs() - startMs) });
    await runMysqlLoad(target, spec.load!, (phase) => push({ kind: 'load-phase', at: at(), container: name, phase }), deps.signal);
    const report = await readMysqlReport(target).catch(() => null);
    if (report) push({ kind: 'service-report', at: at(), container: name, report });
    push({ kind: 'load-finished', at: at(), container: name, completed: true, error: null });
  } catch (error) {
    const report = stillRunning() ? await readMysqlReport(target).catch(() => null) : null;
    if (report) push({ kind: 'service-report', at: at(), container: name, report });
    push({ kind: 'load-finished', at: at(), container: name, completed: false, error: errorText(error) });
  }
}
