import Docker from 'dockerode';
import { EngineUnavailableError } from '../../errors/errors.ts';
import type { ContainerSpec } from '../../plan/plan.ts';
import type { ContainerHandle, CreateOptions, Engine, EngineEvent, EngineInfo, FinalState, StartedContainer } from '../engine.ts';
import { containerNameFor, demuxDockerLogs, LABEL_CONTAINER, LABEL_HARNESS_PID, LABEL_RUN, mapCreateBody, mapDockerEvent, mapFinalState } from './map-docker.ts';
import type { CgroupLocation } from '../../cgroup/cgroup-path.ts';

export interface DockerEngineOptions {
  /** Finds a running process's cgroup (host I/O, injected so the engine stays about Docker). */
  locateCgroup: (pid: number) => Promise<CgroupLocation | null>;
  docker?: Docker;
}

const REMEDY = 'Start a Docker engine: run `npm run lab:setup` (installs and starts dockerd), or point DOCKER_HOST at a running engine.';

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'EACCES' || code === 'ECONNRESET' || code === 'ETIMEDOUT';
}

function messageOf(error: unknown): string {
  const json = (error as { json?: { message?: string } })?.json;
  return json?.message ?? (error instanceof Error ? error.message : String(error));
}

/** The Docker Engine API through dockerode. Docker's types stay in this file and map-docker.ts. */
export class DockerEngine implements Engine {
  readonly name = 'docker';
  private readonly docker: Docker;

  constructor(private readonly options: DockerEngineOptions) {
    this.docker = options.docker ?? new Docker();
  }

  async info(): Promise<EngineInfo> {
    try {
      const [info, version] = await Promise.all([this.docker.info(), this.docker.version()]);
      return {
        name: 'docker',
        version: version.Version,
        cgroupVersion: info.CgroupVersion === '2' ? 2 : info.CgroupVersion === '1' ? 1 : null,
        cgroupDriver: info.CgroupDriver ?? null,
        warnings: info.Warnings ?? [],
      };
    } catch (error) {
      if (isConnectionError(error)) throw new EngineUnavailableError(`no Docker engine answers (${messageOf(error)})`, REMEDY);
      throw error;
    }
  }

  async create(spec: ContainerSpec, options: CreateOptions): Promise<ContainerHandle> {
    const body = mapCreateBody(spec, options);
    const name = containerNameFor(options.labels, spec.name);
    // dockerode's createContainer drops the response's Warnings, which is where Docker says it discarded a flag.
    const response = await new Promise<{ Id: string; Warnings?: string[] | null }>((resolve, reject) => {
      this.docker.modem.dial(
        {
          path: '/containers/create?',
          method: 'POST',
          options: { _query: { name }, _body: body },
          statusCodes: { 200: true, 201: true, 400: 'bad parameter', 404: 'no such image', 409: 'conflict', 500: 'server error' },
        },
        (error: unknown, data: unknown) => (error ? reject(new Error(messageOf(error))) : resolve(data as { Id: string; Warnings?: string[] })),
      );
    });
    return { name: spec.name, id: response.Id, warnings: response.Warnings ?? [] };
  }

  async start(handle: ContainerHandle): Promise<StartedContainer> {
    const container = this.docker.getContainer(handle.id);
    try {
      await container.start();
    } catch (error) {
      throw new Error(messageOf(error));
    }
    const inspect = await container.inspect();
    const pid = inspect.State.Pid || null;
    const cgroup = pid ? await this.options.locateCgroup(pid).catch(() => null) : null;
    return { ...handle, mainPid: pid, cgroup };
  }

  async watchEvents(runId: string, onEvent: (event: EngineEvent) => void): Promise<() => void> {
    const stream = (await this.docker.getEvents({ filters: { type: ['container'], label: [`${LABEL_RUN}=${runId}`] } })) as NodeJS.ReadableStream & { destroy?: () => void };
    let pending = '';
    stream.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        if (!line) continue;
        try {
          const event = mapDockerEvent(JSON.parse(line));
          if (event) onEvent(event);
        } catch {
          // A partial or foreign line is not evidence.
        }
      }
    });
    stream.on('error', () => undefined);
    return () => stream.destroy?.();
  }

  async finalState(handle: ContainerHandle): Promise<FinalState> {
    const inspect = await this.docker.getContainer(handle.id).inspect();
    return mapFinalState(inspect.State);
  }

  async waitForExit(handle: ContainerHandle): Promise<void> {
    await this.docker.getContainer(handle.id).wait();
  }

  async logs(handle: ContainerHandle): Promise<string> {
    const buffer = (await this.docker.getContainer(handle.id).logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    const { stdout, stderr } = demuxDockerLogs(Buffer.isBuffer(buffer) ? buffer : Buffer.from(String(buffer)));
    return stderr ? `${stdout}${stdout.endsWith('\n') || !stdout ? '' : '\n'}${stderr}` : stdout;
  }

  async kill(handle: ContainerHandle): Promise<void> {
    await this.docker
      .getContainer(handle.id)
      .kill()
      .catch(() => undefined);
  }

  async remove(handle: ContainerHandle): Promise<void> {
    await this.docker
      .getContainer(handle.id)
      .remove({ force: true, v: true })
      .catch((error: unknown) => {
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      });
  }

  async removeRun(runId: string): Promise<number> {
    const containers = await this.docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}`] } });
    await Promise.all(containers.map((c) => this.remove({ name: c.Labels[LABEL_CONTAINER] ?? c.Id, id: c.Id, warnings: [] })));
    return containers.length;
  }

  async reapLeftovers(isAlive: (pid: number) => boolean): Promise<string[]> {
    const containers = await this.docker.listContainers({ all: true, filters: { label: [LABEL_RUN] } });
    const orphans = containers.filter((c) => {
      const owner = Number(c.Labels[LABEL_HARNESS_PID]);
      return !Number.isInteger(owner) || owner <= 0 || !isAlive(owner);
    });
    await Promise.all(orphans.map((c) => this.remove({ name: c.Names[0] ?? c.Id, id: c.Id, warnings: [] })));
    return orphans.map((c) => (c.Names[0] ?? c.Id).replace(/^\//, ''));
  }
}
