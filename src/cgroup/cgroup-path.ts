/** Where a process's memory cgroup lives, as seen from the host. */
export interface CgroupLocation {
  version: 1 | 2;
  /** Path inside the hierarchy, as the kernel prints it in OOM reports: `/docker/<id>`. */
  memoryPath: string;
  /** Directory holding the memory files: `/sys/fs/cgroup/memory/docker/<id>`. */
  memoryDir: string;
  /** Directories of other controllers that settings are read from (v1: pids, cpu; v2: same as memory). */
  pidsDir: string | null;
  cpuDir: string | null;
}

export interface CgroupMounts {
  version: 1 | 2;
  /** v1: controller → mount point; v2: '' → unified mount point. */
  mounts: Record<string, string>;
}

/** Parses /proc/self/mountinfo into the cgroup mount points. A memory controller on v1 wins over a hybrid unified mount. */
export function parseCgroupMounts(mountinfo: string): CgroupMounts {
  const mounts: Record<string, string> = {};
  let unified: string | null = null;
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const mountPoint = left.split(' ')[4];
    const [fsType, , superOptions] = right.split(' ');
    if (!mountPoint) continue;
    if (fsType === 'cgroup2') unified ??= mountPoint;
    if (fsType === 'cgroup') {
      const controllers = (superOptions ?? '').split(',').filter((option) => !['rw', 'ro', 'relatime', 'noatime', 'nosuid', 'nodev', 'noexec'].includes(option));
      // Every hierarchy is kept, not only the ones read: runc creates a parent cgroup in all of them, and cleanup must find it.
      for (const controller of controllers) mounts[controller.replace(/^name=/, '')] ??= mountPoint;
    }
  }
  // On a hybrid host runc also makes the cgroup in the unified hierarchy; cleanup must look there too.
  if (mounts.memory) return { version: 1, mounts: unified ? { ...mounts, unified } : mounts };
  return { version: 2, mounts: unified ? { '': unified } : { '': '/sys/fs/cgroup' } };
}

/** Parses /proc/<pid>/cgroup into controller → path ('' for the v2 unified line). */
export function parseProcCgroup(text: string): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line.trim());
    if (!match) continue;
    for (const controller of match[1]!.split(',')) paths[controller] = match[2]!;
  }
  return paths;
}

export function locateCgroup(mounts: CgroupMounts, procCgroup: Record<string, string>): CgroupLocation | null {
  const join = (root: string, path: string) => (path === '/' ? root : `${root}${path}`);
  if (mounts.version === 1) {
    const memoryPath = procCgroup.memory;
    if (!memoryPath) return null;
    return {
      version: 1,
      memoryPath,
      memoryDir: join(mounts.mounts.memory!, memoryPath),
      pidsDir: mounts.mounts.pids && procCgroup.pids ? join(mounts.mounts.pids, procCgroup.pids) : null,
      cpuDir: mounts.mounts.cpu && procCgroup.cpu ? join(mounts.mounts.cpu, procCgroup.cpu) : null,
    };
  }
  const path = procCgroup[''];
  if (path === undefined) return null;
  const dir = join(mounts.mounts['']!, path);
  return { version: 2, memoryPath: path, memoryDir: dir, pidsDir: dir, cpuDir: dir };
}

const CONTAINER_ID = /([0-9a-f]{64})/;

/**
 * The container id in a cgroup path as the kernel prints it. Covers `/docker/<id>`, `<parent>/<id>`,
 * `/system.slice/docker-<id>.scope`, `/kubepods/burstable/pod<uid>/<id>` and `cri-containerd-<id>.scope`.
 */
export function containerIdFromCgroupPath(path: string): string | null {
  const segments = path.split('/').filter(Boolean);
  for (let index = segments.length - 1; index >= 0; index--) {
    const match = CONTAINER_ID.exec(segments[index]!);
    if (match) return match[1]!;
  }
  return null;
}

/** The container's own cgroup in a victim's path: up to the segment naming the container, else the path itself. */
export function containerCgroupOf(path: string): string {
  const segments = path.split('/');
  for (let index = segments.length - 1; index >= 0; index--) {
    if (CONTAINER_ID.test(segments[index]!)) return segments.slice(0, index + 1).join('/');
  }
  return path;
}

/** Whether `path` is `ancestor` itself or below it. */
export function isWithin(path: string, ancestor: string): boolean {
  if (ancestor === '/' || path === ancestor) return true;
  return path.startsWith(ancestor.endsWith('/') ? ancestor : `${ancestor}/`);
}
