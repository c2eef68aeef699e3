import type { ContainerSpec, MemorySettings } from '../../plan/plan.ts';
import type { CreateOptions, EngineAction, EngineEvent, FinalState, RunLabels } from '../engine.ts';
import { ENGINE_ACTIONS } from '../engine.ts';

export const LABEL_RUN = 'oomlab.run';
export const LABEL_SCENARIO = 'oomlab.scenario';
export const LABEL_VARIANT = 'oomlab.variant';
export const LABEL_CONTAINER = 'oomlab.container';
export const LABEL_HARNESS_PID = 'oomlab.harness-pid';

export function labelsFor(labels: RunLabels, container: string): Record<string, string> {
  return {
    [LABEL_RUN]: labels.runId,
    [LABEL_SCENARIO]: labels.scenario,
    [LABEL_VARIANT]: labels.variant,
    [LABEL_CONTAINER]: container,
    [LABEL_HARNESS_PID]: String(labels.harnessPid),
  };
}

/** Docker container names allow [a-zA-Z0-9][a-zA-Z0-9_.-]. */
export function containerNameFor(labels: RunLabels, container: string): string {
  return `oomlab-${labels.runId}-${container}`.replace(/[^a-zA-Z0-9_.-]/g, '-');
}

/** The body of POST /containers/create for a resolved spec. */
export function mapCreateBody(spec: ContainerSpec, options: CreateOptions): Record<string, unknown> {
  const wanted: MemorySettings = { ...spec.requested };
  for (const key of options.omit) delete wanted[key];
  const hostConfig: Record<string, unknown> = {
    Memory: wanted.memory,
    MemorySwap: wanted.memorySwap,
    MemoryReservation: wanted.memoryReservation,
    KernelMemory: wanted.kernelMemory,
    MemorySwappiness: wanted.memorySwappiness,
    OomKillDisable: wanted.oomKillDisable,
    OomScoreAdj: wanted.oomScoreAdj,
    CgroupParent: options.cgroupParent ?? wanted.cgroupParent,
    PidsLimit: wanted.pidsLimit,
    NanoCpus: wanted.cpus === undefined ? undefined : Math.round(wanted.cpus * 1e9),
    Sysctls: wanted.sysctls,
    // The harness collects logs and removes containers itself, after it has read their final state.
    AutoRemove: false,
    NetworkMode: spec.network,
    LogConfig: { Type: 'json-file', Config: {} },
  };
  return {
    Image: spec.image,
    // An empty command keeps the image's own.
    Cmd: spec.command.length > 0 ? spec.command : undefined,
    Env: Object.entries(spec.env).map(([key, value]) => `${key}=${value}`),
    Labels: labelsFor(options.labels, spec.name),
    Tty: false,
    HostConfig: Object.fromEntries(Object.entries(hostConfig).filter(([, value]) => value !== undefined)),
  };
}

interface DockerEventMessage {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

/** A Docker event in our terms; null for actions the harness does not use (exec_*, attach, …). */
export function mapDockerEvent(message: DockerEventMessage): EngineEvent | null {
  if (message.Type && message.Type !== 'container') return null;
  const action = (message.Action ?? message.status ?? '').split(':')[0] as EngineAction;
  if (!ENGINE_ACTIONS.includes(action)) return null;
  const id = message.Actor?.ID ?? message.id;
  if (!id) return null;
  const attributes = message.Actor?.Attributes ?? {};
  const exitCode = attributes.exitCode === undefined ? null : Number(attributes.exitCode);
  return {
    id,
    action,
    exitCode,
    signal: attributes.signal ?? null,
    timeMs: message.timeNano ? Math.floor(message.timeNano / 1e6) : (message.time ?? 0) * 1000,
  };
}

interface DockerInspectState {
  Running?: boolean;
  ExitCode?: number;
  OOMKilled?: boolean;
  Error?: string;
  Pid?: number;
}

export function mapFinalState(state: DockerInspectState | undefined): FinalState {
  return {
    running: state?.Running ?? false,
    exitCode: state?.Running ? null : (state?.ExitCode ?? null),
    oomKilled: state?.OOMKilled ?? null,
    error: state?.Error ? state.Error : null,
  };
}

/** Splits Docker's multiplexed log stream (8-byte frame headers) into text; a TTY stream is plain. */
export function demuxDockerLogs(buffer: Buffer): { stdout: string; stderr: string } {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let offset = 0;
  const framed = buffer.length >= 8 && (buffer[0] === 1 || buffer[0] === 2) && buffer[1] === 0 && buffer[2] === 0 && buffer[3] === 0;
  if (!framed) return { stdout: buffer.toString('utf8'), stderr: '' };
  while (offset + 8 <= buffer.length) {
    const stream = buffer[offset];
    const size = buffer.readUInt32BE(offset + 4);
    const chunk = buffer.subarray(offset + 8, offset + 8 + size);
    (stream === 2 ? stderr : stdout).push(chunk);
    offset += 8 + size;
  }
  return { stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
}
