import { parseInteger, parseKilobytes } from './parse-number.ts';

/** `memory: usage 65536kB, limit 65536kB, failcnt 0`: the OOMing memcg's own counter. */
export interface MemcgUsage {
  usageKb: number | null;
  limitKb: number | null;
  failcnt: number | null;
}

export function parseMemcgUsage(message: string): MemcgUsage | null {
  // `memory+swap:`, `kmem:` and `swap:` follow with the same shape; only plain memory is the limit that bit.
  if (!message.startsWith('memory: ')) return null;
  const fields = new Map<string, string>();
  for (const part of message.slice('memory: '.length).split(', ')) {
    const space = part.indexOf(' ');
    if (space > 0) fields.set(part.slice(0, space), part.slice(space + 1));
  }
  if (!fields.has('usage')) return null;
  return {
    usageKb: parseKilobytes(fields.get('usage')),
    limitKb: parseKilobytes(fields.get('limit')),
    failcnt: parseInteger(fields.get('failcnt')),
  };
}

/** `Memory cgroup stats for /docker/…:` → the cgroup whose statistics follow. */
export function parseMemcgStatsHeader(message: string): string | null {
  const prefix = 'Memory cgroup stats for ';
  if (!message.startsWith(prefix) || !message.endsWith(':')) return null;
  const path = message.slice(prefix.length, -1);
  return path === '' ? null : path;
}

/**
 * `Task in /docker/a killed as a result of limit of /docker` — how kernels before 4.19, which lack
 * the oom-kill: line, name the victim's memcg and the memcg whose limit was hit.
 */
export function parseTaskInMemcgLine(message: string): { taskMemcg: string; oomMemcg: string } | null {
  const prefix = 'Task in ';
  const middle = ' killed as a result of limit of ';
  if (!message.startsWith(prefix)) return null;
  const at = message.indexOf(middle, prefix.length);
  if (at < 0) return null;
  const taskMemcg = message.slice(prefix.length, at);
  const oomMemcg = message.slice(at + middle.length);
  return taskMemcg === '' || oomMemcg === '' ? null : { taskMemcg, oomMemcg };
}
