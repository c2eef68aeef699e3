import type { OomInvoker } from './kernel-oom-report.ts';
import { parseInteger } from './parse-number.ts';

const HEADER_MARKER = ' invoked oom-killer:';

/**
 * `hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0`, the first line
 * of every report. Older kernels add `nodemask=…` and `oom_adj=…` or print a bare gfp mask.
 */
export function parseOomHeader(message: string): OomInvoker | null {
  const marker = message.indexOf(HEADER_MARKER);
  if (marker <= 0) return null;
  // Split on ", " rather than "," because a nodemask such as `0,2` contains bare commas.
  const fields = new Map<string, string>();
  for (const part of message.slice(marker + HEADER_MARKER.length).split(', ')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return {
    comm: message.slice(0, marker),
    pid: null,
    gfpMask: fields.get('gfp_mask') ?? null,
    order: parseInteger(fields.get('order')),
    oomScoreAdj: parseInteger(fields.get('oom_score_adj')),
  };
}

/**
 * The pid in `CPU: 0 UID: 0 PID: 4624 Comm: hog Not tainted …` (no `UID:` before 6.x), printed
 * by dump_stack right after the header. Returns null unless the Comm matches `comm`, so a stack
 * dump from another CPU cannot lend the invoker a wrong pid.
 */
export function parseInvokerPid(message: string, comm: string): number | null {
  if (!message.startsWith('CPU: ')) return null;
  const pidAt = message.indexOf(' PID: ');
  const commAt = message.indexOf(' Comm: ');
  if (pidAt < 0 || commAt < pidAt) return null;
  const afterComm = message.slice(commAt + ' Comm: '.length);
  if (afterComm !== comm && !afterComm.startsWith(comm + ' ')) return null;
  return parseInteger(message.slice(pidAt + ' PID: '.length, commAt));
}
