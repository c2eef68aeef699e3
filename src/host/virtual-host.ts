import { mkdir, readdir, rmdir, writeFile } from 'node:fs/promises';
import type { CgroupMounts } from '../cgroup/cgroup-path.ts';
import type { VirtualHostSpec } from '../plan/plan.ts';
import { isProcessAlive } from './host-fs.ts';

/** All stand-in hosts live under this cgroup, named `vh-<harness pid>-<run id>-<n>` so leftovers can be told from live ones. */
export const VIRTUAL_HOST_ROOT = 'oomlab';

/** A parent cgroup with the stand-in host's limits; containers go under it via --cgroup-parent. */
export interface VirtualHost {
  /** Path inside the hierarchy, as Docker's CgroupParent and the kernel's oom_memcg name it. */
  path: string;
  memoryDir: string;
}

export function virtualHostName(harnessPid: number, runId: string, ordinal: number): string {
  return `vh-${harnessPid}-${runId}-${ordinal}`;
}

/** The file writes that set a stand-in host's limits, in the order the kernel accepts them. */
export function virtualHostLimitWrites(version: 1 | 2, spec: VirtualHostSpec): Array<[string, string]> {
  if (version === 1) {
    const writes: Array<[string, string]> = [['memory.limit_in_bytes', String(spec.memoryBytes)]];
    // memsw must never be below the memory limit, so it is written after it.
    if (spec.memorySwapBytes !== null) writes.push(['memory.memsw.limit_in_bytes', spec.memorySwapBytes === -1 ? '-1' : String(spec.memorySwapBytes)]);
    return writes;
  }
  const writes: Array<[string, string]> = [['memory.max', String(spec.memoryBytes)]];
  if (spec.memorySwapBytes !== null) writes.push(['memory.swap.max', spec.memorySwapBytes === -1 ? 'max' : String(Math.max(0, spec.memorySwapBytes - spec.memoryBytes))]);
  return writes;
}

function controllerRoots(mounts: CgroupMounts): string[] {
  return Object.values(mounts.mounts);
}

async function removeTree(dir: string): Promise<void> {
  let entries: string[] = [];
  try {
    entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return;
  }
  for (const entry of entries) await removeTree(`${dir}/${entry}`);
  // A cgroup whose last task is still exiting refuses rmdir for a moment.
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      await rmdir(dir);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (attempt === 19) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

export class VirtualHosts {
  constructor(private readonly mounts: CgroupMounts) {}

  private memoryRoot(): string {
    return this.mounts.version === 1 ? this.mounts.mounts.memory! : this.mounts.mounts['']!;
  }

  async acquire(name: string, spec: VirtualHostSpec): Promise<VirtualHost> {
    const root = this.memoryRoot();
    if (this.mounts.version === 2) {
      // Children only get memory files when the parents delegate the controller.
      await writeFile(`${root}/cgroup.subtree_control`, '+memory +pids').catch(() => undefined);
      await mkdir(`${root}/${VIRTUAL_HOST_ROOT}`, { recursive: true });
      await writeFile(`${root}/${VIRTUAL_HOST_ROOT}/cgroup.subtree_control`, '+memory +pids').catch(() => undefined);
    }
    const memoryDir = `${root}/${VIRTUAL_HOST_ROOT}/${name}`;
    await mkdir(memoryDir, { recursive: true });
    for (const [file, value] of virtualHostLimitWrites(this.mounts.version, spec)) await writeFile(`${memoryDir}/${file}`, value);
    return { path: `/${VIRTUAL_HOST_ROOT}/${name}`, memoryDir };
  }

  /** Removes the stand-in host in every controller the engine created it in. Its containers must be gone. */
  async release(host: VirtualHost): Promise<void> {
    for (const root of controllerRoots(this.mounts)) {
      await removeTree(`${root}${host.path}`);
      // The shared root goes too once no stand-in host is left in it; a concurrent run keeps it busy.
      await rmdir(`${root}/${VIRTUAL_HOST_ROOT}`).catch(() => undefined);
    }
  }

  /** Removes stand-in hosts whose harness is no longer alive. */
  async reapLeftovers(isAlive: (pid: number) => boolean = isProcessAlive): Promise<string[]> {
    const reaped: string[] = [];
    for (const root of controllerRoots(this.mounts)) {
      let names: string[] = [];
      try {
        names = await readdir(`${root}/${VIRTUAL_HOST_ROOT}`);
      } catch {
        continue;
      }
      for (const name of names) {
        const owner = /^vh-(\d+)-/.exec(name);
        if (!owner || isAlive(Number(owner[1]))) continue;
        await removeTree(`${root}/${VIRTUAL_HOST_ROOT}/${name}`).catch(() => undefined);
        if (!reaped.includes(name)) reaped.push(name);
      }
      await rmdir(`${root}/${VIRTUAL_HOST_ROOT}`).catch(() => undefined);
    }
    return reaped;
  }
}
