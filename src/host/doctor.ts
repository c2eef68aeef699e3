import type { EngineInfo } from '../engine/engine.ts';
import type { HostInfo } from './host-facts.ts';
import { formatBytes } from '../units/size.ts';

export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
  /** What to do when it is not ok. */
  remedy: string | null;
}

/** What this host can do for oomlab, each with a remedy. Pure: the facts are gathered by the caller. */
export function doctorChecks(host: HostInfo, engine: EngineInfo | { error: string }, journalOwner: number | null): DoctorCheck[] {
  const engineOk = !('error' in engine);
  return [
    {
      name: 'container engine',
      ok: engineOk,
      detail: engineOk ? `${engine.name} ${engine.version}, cgroup driver ${engine.cgroupDriver ?? '?'}` : engine.error,
      remedy: engineOk ? null : 'run `npm run lab:setup` (installs and starts dockerd), or set DOCKER_HOST',
    },
    {
      name: 'cgroup version',
      ok: true,
      detail: `v${host.cgroupVersion}${host.cgroupVersion === 2 ? ' (oomKillDisable and memorySwappiness are discarded on v2; the record says so)' : ''}`,
      remedy: null,
    },
    {
      name: 'swap accounting',
      ok: host.swapAccounting,
      detail: host.swapAccounting ? 'memory+swap limits are enforced' : 'no memsw files: memorySwap limits are discarded',
      remedy: host.swapAccounting ? null : 'boot with swapaccount=1 (cgroup v1), or use cgroup v2',
    },
    {
      name: 'kernel log',
      ok: host.kernelLogReadable,
      detail: host.kernelLogReadable ? '/dev/kmsg is readable: every kill comes with the kernel report' : '/dev/kmsg is not readable: outcomes fall back to dmesg or the cgroup counters',
      remedy: host.kernelLogReadable ? null : 'run as root, or allow reading /dev/kmsg (kernel.dmesg_restrict=0 with CAP_SYSLOG)',
    },
    {
      name: 'host sysctls',
      ok: host.sysctlsWritable,
      detail: host.sysctlsWritable ? 'vm.* can be written (scenarios with host.sysctls need --allow-host-sysctl)' : '/proc/sys/vm is read-only here',
      remedy: host.sysctlsWritable ? null : 'run as root on the host itself, not inside a container with a read-only /proc/sys',
    },
    {
      name: 'CAP_SYS_RESOURCE',
      ok: host.canLowerOomScoreAdj,
      detail: host.canLowerOomScoreAdj
        ? 'negative oomScoreAdj works, and the harness protects itself at -1000'
        : `missing: a negative oomScoreAdj is refused (recorded as requested vs effective), the harness runs at oom_score_adj ${host.harnessOomScoreAdj ?? '?'}`,
      remedy: host.canLowerOomScoreAdj ? null : 'run with CAP_SYS_RESOURCE (e.g. a privileged shell, not a restricted container)',
    },
    {
      name: 'swap',
      ok: true,
      detail: host.swapTotalBytes > 0 ? `${formatBytes(host.swapTotalBytes)} present` : 'none (host.swap: SIZE adds a swap file for a run)',
      remedy: null,
    },
    {
      name: 'available memory',
      ok: host.memAvailableBytes > 1024 ** 3,
      detail: `${formatBytes(host.memAvailableBytes)} of ${formatBytes(host.memTotalBytes)}`,
      remedy: host.memAvailableBytes > 1024 ** 3 ? null : 'free some memory: the scenarios need about 1 GiB',
    },
    {
      name: 'host knobs journal',
      ok: journalOwner === null,
      detail: journalOwner === null ? 'no unrestored host changes' : `changes made by pid ${journalOwner} are not restored yet`,
      remedy: journalOwner === null ? null : 'run `oomlab restore` once that run has ended',
    },
  ];
}

export function formatDoctor(checks: DoctorCheck[]): string {
  const width = Math.max(...checks.map((c) => c.name.length));
  return checks
    .map((c) => `${c.ok ? 'ok  ' : 'FIX '} ${c.name.padEnd(width)}  ${c.detail}${c.remedy ? `\n     ${' '.repeat(width)}  → ${c.remedy}` : ''}`)
    .join('\n');
}
