import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import type { CgroupLocation, CgroupMounts } from '../../cgroup/cgroup-path.ts';
import { EngineUnavailableError } from '../../errors/errors.ts';
import type { ContainerSpec } from '../../plan/plan.ts';
import type { ContainerHandle, CreateOptions, Engine, EngineEvent, EngineInfo, FinalState, StartedContainer } from '../engine.ts';
import { hostCgroupWrites } from './host-cgroup-writes.ts';
import { prepareHostWorkload } from './host-workloads.ts';

/** Containers of the host engine live here unless a stand-in host or cgroupParent says otherwise. */
const HOST_ROOT = '/oomlab-host';
/** Joins the cgroups and sets oom_score_adj from inside, then execs the workload: the pid stays the same. */
const LAUNCHER = 'for f in $OOMLAB_CGROUP_PROCS; do echo $$ > "$f" || exit 125; done; if [ -n "$OOMLAB_OOM_SCORE_ADJ" ]; then echo "$OOMLAB_OOM_SCORE_ADJ" > /proc/self/oom_score_adj || exit 125; fi; exec "$@"';

interface HostContainer {
  spec: ContainerSpec;
  /** Path inside the hierarchy, as the kernel's OOM reports name it. */
  path: string;
  oomScoreAdj: number | null;
  child: ChildProcess | null;
  output: string[];
  exit: { code: number | null; signal: NodeJS.Signals | null } | null;
  exited: Promise<void>;
  markExited: () => void;
}

function controllerDirs(mounts: CgroupMounts, path: string): Record<'memory' | 'pids' | 'cpu', string | null> {
  if (mounts.version === 2) {
    const dir = `${mounts.mounts['']}${path}`;
    return { memory: dir, pids: dir, cpu: dir };
  }
  const at = (controller: string) => (mounts.mounts[controller] ? `${mounts.mounts[controller]}${path}` : null);
  return { memory: at('memory'), pids: at('pids'), cpu: at('cpu') };
}

function killTasks(dir: string): void {
  try {
    for (const pid of readFileSync(`${dir}/cgroup.procs`, 'utf8').split('\n').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  } catch {
    // no such cgroup
  }
}

async function removeCgroupDir(dir: string): Promise<void> {
  for (let attempt = 0; attempt < 40; attempt++) {
    if (!existsSync(dir)) return;
    killTasks(dir);
    try {
      rmdirSync(dir);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/**
 * Runs each "container" as a plain process tree in a cgroup the harness creates and limits itself: no image,
 * no daemon. Docker's flags become the same cgroup files Docker would write.
 */
export class HostEngine implements Engine {
  readonly name = 'host';
  private readonly containers = new Map<string, HostContainer>();
  private readonly listeners = new Set<(event: EngineEvent) => void>();

  constructor(
    private readonly mounts: CgroupMounts,
    private readonly stateDir: string,
  ) {}

  async info(): Promise<EngineInfo> {
    const memoryRoot = this.mounts.version === 1 ? this.mounts.mounts.memory : this.mounts.mounts[''];
    if (process.getuid?.() !== 0 || !memoryRoot) {
      throw new EngineUnavailableError('the host engine needs root and a memory cgroup', 'run as root on Linux with the memory cgroup controller mounted, or start Docker (`npm run lab:setup`)');
    }
    return { name: 'host', version: process.version, cgroupVersion: this.mounts.version, cgroupDriver: 'oomlab', warnings: [] };
  }

  async create(spec: ContainerSpec, options: CreateOptions): Promise<ContainerHandle> {
    const id = randomBytes(32).toString('hex');
    const parent = options.cgroupParent ?? spec.requested.cgroupParent ?? HOST_ROOT;
    const path = `${parent.replace(/\/$/, '')}/h${options.labels.harnessPid}-${id}`;
    const dirs = controllerDirs(this.mounts, path);
    const warnings: string[] = [];
    for (const dir of new Set(Object.values(dirs).filter((d): d is string => d !== null))) mkdirSync(dir, { recursive: true });
    const requested = { ...spec.requested };
    for (const key of options.omit) delete requested[key];
    const { writes, discarded } = hostCgroupWrites(this.mounts.version, requested);
    for (const flag of discarded) warnings.push(`${flag.key} discarded: ${flag.reason}`);
    for (const write of writes) {
      const dir = dirs[write.controller];
      try {
        if (!dir) throw new Error(`no ${write.controller} controller`);
        writeFileSync(`${dir}/${write.file}`, write.value);
      } catch (error) {
        warnings.push(`${write.key}: writing ${write.value} to ${write.file} was refused (${(error as Error).message.split('\n')[0]})`);
      }
    }
    let markExited = () => undefined as void;
    const exited = new Promise<void>((resolve) => {
      markExited = resolve;
    });
    this.containers.set(id, { spec, path, oomScoreAdj: requested.oomScoreAdj ?? null, child: null, output: [], exit: null, exited, markExited });
    return { name: spec.name, id, warnings };
  }

  async start(handle: ContainerHandle): Promise<StartedContainer> {
    const container = this.containers.get(handle.id)!;
    const workload = prepareHostWorkload(container.spec.workload, this.stateDir);
    const dirs = controllerDirs(this.mounts, container.path);
    const procs = [...new Set(Object.values(dirs).filter((d): d is string => d !== null))].map((dir) => `${dir}/cgroup.procs`).join(' ');
    const rundir = this.runDir(handle.id);
    mkdirSync(rundir, { recursive: true });
    const child = spawn('/bin/sh', ['-c', LAUNCHER, 'oomlab-launch', ...container.spec.command], {
      env: {
        ...process.env,
        ...container.spec.env,
        ...workload.env,
        // A private directory for files the workload keeps (mysqld's data directory, socket).
        OOMLAB_RUNDIR: rundir,
        PATH: [...workload.pathDirs, process.env.PATH ?? '/usr/bin:/bin'].join(':'),
        OOMLAB_CGROUP_PROCS: procs,
        OOMLAB_OOM_SCORE_ADJ: container.oomScoreAdj === null ? '' : String(container.oomScoreAdj),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    container.child = child;
    child.stdout!.on('data', (chunk: Buffer) => container.output.push(chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => container.output.push(chunk.toString('utf8')));
    child.on('exit', (code, signal) => {
      container.exit = { code, signal };
      const exitCode = code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : null);
      for (const listener of this.listeners) listener({ id: handle.id, action: 'die', exitCode, signal, timeMs: Date.now() });
      container.markExited();
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', reject);
    });
    const memoryDir = dirs.memory!;
    const location: CgroupLocation = { version: this.mounts.version, memoryPath: container.path, memoryDir, pidsDir: dirs.pids, cpuDir: dirs.cpu };
    // The launcher joins the cgroup before exec; wait until it has, so the settings read back are the workload's.
    for (let attempt = 0; attempt < 100 && !container.exit; attempt++) {
      if (readFileSync(`${memoryDir}/cgroup.procs`, 'utf8').split('\n').includes(String(child.pid))) break;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return { ...handle, mainPid: child.pid ?? null, cgroup: location };
  }

  private runDir(id: string): string {
    return `${this.stateDir}/containers/${id}`;
  }

  async watchEvents(_runId: string, onEvent: (event: EngineEvent) => void): Promise<() => void> {
    this.listeners.add(onEvent);
    return () => this.listeners.delete(onEvent);
  }

  async finalState(handle: ContainerHandle): Promise<FinalState> {
    const container = this.containers.get(handle.id);
    if (!container?.exit) return { running: container?.child !== null && container !== undefined, exitCode: null, oomKilled: null, error: null };
    const { code, signal } = container.exit;
    const exitCode = code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : null);
    // 125: the launcher could not join the cgroup or set oom_score_adj, as Docker reports a failed start.
    return { running: false, exitCode, oomKilled: null, error: code === 125 ? 'the launcher could not join the cgroup or set oom_score_adj' : null };
  }

  async waitForExit(handle: ContainerHandle): Promise<void> {
    await this.containers.get(handle.id)?.exited;
  }

  async logs(handle: ContainerHandle): Promise<string> {
    return this.containers.get(handle.id)?.output.join('') ?? '';
  }

  async kill(handle: ContainerHandle): Promise<void> {
    const container = this.containers.get(handle.id);
    if (container) killTasks(controllerDirs(this.mounts, container.path).memory ?? '');
  }

  async remove(handle: ContainerHandle): Promise<void> {
    const container = this.containers.get(handle.id);
    if (!container) return;
    const dirs = controllerDirs(this.mounts, container.path);
    for (const dir of new Set(Object.values(dirs).filter((d): d is string => d !== null))) await removeCgroupDir(dir);
    if (container.child && !container.exit) await Promise.race([container.exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
    rmSync(this.runDir(handle.id), { recursive: true, force: true });
    this.containers.delete(handle.id);
  }

  async removeRun(_runId: string): Promise<number> {
    const ids = [...this.containers.keys()];
    for (const id of ids) await this.remove({ name: id, id, warnings: [] });
    // The shared root goes once it is empty; another harness's containers keep it.
    for (const dir of new Set(Object.values(controllerDirs(this.mounts, HOST_ROOT)).filter((d): d is string => d !== null))) {
      try {
        rmdirSync(dir);
      } catch {
        // in use, or gone
      }
    }
    return ids.length;
  }

  /** Cgroups named h<pid>-… whose harness is gone: their processes are killed and the cgroups removed. */
  async reapLeftovers(isAlive: (pid: number) => boolean): Promise<string[]> {
    const reaped: string[] = [];
    const roots = this.mounts.version === 2 ? [this.mounts.mounts['']!] : Object.values(this.mounts.mounts);
    const visit = async (dir: string) => {
      let entries: string[] = [];
      try {
        entries = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
      } catch {
        return;
      }
      for (const entry of entries) {
        const owner = /^h(\d+)-[0-9a-f]{64}$/.exec(entry);
        if (owner && !isAlive(Number(owner[1]))) {
          await removeCgroupDir(`${dir}/${entry}`);
          if (!reaped.includes(entry)) reaped.push(entry);
        } else if (!owner) await visit(`${dir}/${entry}`);
      }
    };
    for (const root of roots) {
      for (const top of [HOST_ROOT, '/oomlab']) await visit(`${root}${top}`);
      try {
        // Empty once nothing of anyone's is left in it.
        rmdirSync(`${root}${HOST_ROOT}`);
      } catch {
        // in use, or gone
      }
    }
    return reaped.map((name) => name.slice(0, 24));
  }
}
