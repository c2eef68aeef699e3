import type { CgroupMounts } from '../cgroup/cgroup-path.ts';
import { EngineUnavailableError } from '../errors/errors.ts';
import { locateProcessCgroup } from '../host/host-fs.ts';
import { DockerEngine } from './docker/docker-engine.ts';
import type { Engine } from './engine.ts';
import { HostEngine } from './host/host-engine.ts';

export type EngineChoice = 'auto' | 'docker' | 'host';

/** docker where an engine answers; otherwise host, as root with a memory cgroup; otherwise exit 3 with what to do. */
export async function selectEngine(choice: EngineChoice, mounts: CgroupMounts, stateDir: string): Promise<Engine> {
  const docker = () => new DockerEngine({ locateCgroup: (pid) => locateProcessCgroup(mounts, pid) });
  const host = () => new HostEngine(mounts, stateDir);
  if (choice === 'docker') return docker();
  if (choice === 'host') return host();
  const candidate = docker();
  try {
    await candidate.info();
    return candidate;
  } catch (dockerError) {
    if (!(dockerError instanceof EngineUnavailableError)) throw dockerError;
    const fallback = host();
    try {
      await fallback.info();
      return fallback;
    } catch (hostError) {
      throw new EngineUnavailableError(
        `no engine: ${dockerError.message}; ${(hostError as Error).message}`,
        'run `npm run lab:setup` to install and start Docker, point DOCKER_HOST at one, or run as root on Linux for the host engine',
      );
    }
  }
}
