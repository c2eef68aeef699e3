import type { KernelOomReport } from './kernel-log/kernel-oom-report.ts';
import type { KillScope } from '../outcome/outcomes.ts';
import { containerIdFromCgroupPath, isWithin } from '../cgroup/cgroup-path.ts';

/** What the harness knows about a running container, to match kernel reports against. */
export interface KnownContainer {
  name: string;
  id: string;
  mainPid: number | null;
  /** The memory cgroup path as the kernel prints it, e.g. `/docker/<id>`. */
  cgroupPath: string | null;
}

export interface Attribution {
  container: string | null;
  scope: KillScope;
}

/** `container` when the OOM hit the victim's own container cgroup (or below it), `parent` above it, `global` for the machine. */
export function scopeOf(report: KernelOomReport, cgroupPath: string | null): KillScope {
  if (report.constraint === 'CONSTRAINT_NONE' || (!report.memcgOom && !report.oomMemcg)) return 'global';
  const oomCgroup = report.oomMemcg ?? report.statsMemcg;
  if (!oomCgroup || !cgroupPath) return 'container';
  return isWithin(oomCgroup, cgroupPath) ? 'container' : 'parent';
}

/** Which of the run's containers the victim lived in (by cgroup path, then container id, then pid), and the kill's scope. */
export function attributeKill(report: KernelOomReport, containers: readonly KnownContainer[]): Attribution {
  const task = report.taskMemcg;
  const byPath = task ? containers.find((c) => c.cgroupPath && isWithin(task, c.cgroupPath)) : undefined;
  const taskId = task ? containerIdFromCgroupPath(task) : null;
  const byId = taskId ? containers.find((c) => c.id === taskId) : undefined;
  const byPid = containers.find((c) => c.mainPid !== null && c.mainPid === report.victimPid);
  const container = byPath ?? byId ?? byPid ?? null;
  return { container: container?.name ?? null, scope: scopeOf(report, container?.cgroupPath ?? task) };
}
