import type { ContainerSpec, MemorySettings } from '../plan/plan.ts';
import type { CgroupLocation } from '../cgroup/cgroup-path.ts';

export const ENGINE_ACTIONS = ['create', 'start', 'oom', 'kill', 'die', 'stop', 'destroy'] as const;
export type EngineAction = (typeof ENGINE_ACTIONS)[number];

/** Labels every container of a run carries, so leftovers can be found and reaped. */
export interface RunLabels {
  runId: string;
  scenario: string;
  variant: string;
  /** The pid of the harness that owns the container; a leftover's owner is no longer alive. */
  harnessPid: number;
}

export interface EngineInfo {
  name: string;
  version: string;
  cgroupVersion: 1 | 2 | null;
  cgroupDriver: string | null;
  warnings: string[];
}

/** A container the engine created but that may not be running. */
export interface ContainerHandle {
  name: string;
  id: string;
  /** Warnings the engine gave at create time, e.g. a discarded flag. */
  warnings: string[];
}

export interface StartedContainer extends ContainerHandle {
  mainPid: number | null;
  cgroup: CgroupLocation | null;
}

/** The engine's view of how a container ended. */
export interface FinalState {
  running: boolean;
  exitCode: number | null;
  /** The engine's own OOM flag (Docker: State.OOMKilled). */
  oomKilled: boolean | null;
  error: string | null;
}

export interface EngineEvent {
  /** Container id. */
  id: string;
  action: EngineAction;
  exitCode: number | null;
  signal: string | null;
  /** Engine's own timestamp (ms since epoch). */
  timeMs: number;
}

export interface CreateOptions {
  labels: RunLabels;
  /** A parent cgroup (path inside the hierarchy) for the stand-in host, overriding the spec's cgroupParent. */
  cgroupParent: string | null;
  /** Settings to leave out, e.g. a negative oomScoreAdj the host refuses. */
  omit: Array<keyof MemorySettings>;
}

/** What every container runtime (docker, host cgroups, kubernetes) offers the harness. */
export interface Engine {
  readonly name: string;
  /** Throws EngineUnavailableError when the engine does not answer. */
  info(): Promise<EngineInfo>;
  create(spec: ContainerSpec, options: CreateOptions): Promise<ContainerHandle>;
  start(handle: ContainerHandle): Promise<StartedContainer>;
  /** Streams engine events for a run's containers until the returned function is called. */
  watchEvents(runId: string, onEvent: (event: EngineEvent) => void): Promise<() => void>;
  finalState(handle: ContainerHandle): Promise<FinalState>;
  /** Resolves when the container stops, or never. */
  waitForExit(handle: ContainerHandle): Promise<void>;
  logs(handle: ContainerHandle): Promise<string>;
  kill(handle: ContainerHandle): Promise<void>;
  remove(handle: ContainerHandle): Promise<void>;
  /** Removes every container of this run. Returns how many there were. */
  removeRun(runId: string): Promise<number>;
  /** Removes containers left by harnesses that are no longer alive. Returns their names. */
  reapLeftovers(isAlive: (pid: number) => boolean): Promise<string[]>;
}
