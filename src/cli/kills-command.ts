import type { KernelOomReport } from '../evidence/kernel-log/kernel-oom-report.ts';
import { containerCgroupOf, containerIdFromCgroupPath } from '../cgroup/cgroup-path.ts';
import { scopeOf } from '../evidence/attribute-kill.ts';

/** One row of `oomlab kills`: which process the kernel killed, where, and why. */
export interface KillRow {
  time: string;
  pid: number;
  comm: string;
  oomScoreAdj: number | null;
  anonRssKb: number | null;
  constraint: string;
  scope: 'container' | 'parent' | 'global';
  container: string | null;
  oomCgroup: string | null;
  victimCgroup: string | null;
  invokedBy: string | null;
  host: string | null;
}

export function killRow(report: KernelOomReport): KillRow {
  const id = report.taskMemcg ? containerIdFromCgroupPath(report.taskMemcg) : null;
  return {
    time: report.wallTime ?? (report.kernelTimeUs === null ? '' : `${(report.kernelTimeUs / 1e6).toFixed(6)}`),
    pid: report.victimPid,
    comm: report.victimComm,
    oomScoreAdj: report.oomScoreAdj,
    anonRssKb: report.anonRssKb,
    constraint: report.constraint ?? (report.memcgOom ? 'memcg' : 'unknown'),
    scope: scopeOf(report, report.taskMemcg === null ? null : containerCgroupOf(report.taskMemcg)),
    container: id ? id.slice(0, 12) : null,
    oomCgroup: report.oomMemcg,
    victimCgroup: report.taskMemcg,
    invokedBy: report.invokedBy?.comm ?? null,
    host: report.host,
  };
}

export function formatKillTable(rows: KillRow[]): string {
  if (rows.length === 0) return 'no OOM kills found';
  const header = ['time', 'pid', 'comm', 'adj', 'anon-rss', 'scope', 'container', 'oom cgroup', 'victim cgroup'];
  const body = rows.map((row) => [
    row.time,
    String(row.pid),
    row.comm,
    row.oomScoreAdj === null ? '?' : String(row.oomScoreAdj),
    row.anonRssKb === null ? '?' : `${Math.round(row.anonRssKb / 1024)} MiB`,
    row.scope,
    row.container ?? '—',
    row.oomCgroup ?? '—',
    row.victimCgroup ?? '—',
  ]);
  const table = [header, ...body];
  const widths = header.map((_, column) => Math.max(...table.map((r) => r[column]!.length)));
  return table.map((r) => r.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}
