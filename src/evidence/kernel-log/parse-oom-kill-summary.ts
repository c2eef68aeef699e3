import { parseInteger } from './parse-number.ts';

/** The one-line `oom-kill:constraint=…` summary (kernel 4.19+). */
export interface OomKillSummary {
  constraint: string | null;
  nodemask: string | null;
  cpuset: string | null;
  memsAllowed: string | null;
  /** Null for global OOMs, which print a bare `global_oom` flag instead. */
  oomMemcg: string | null;
  globalOom: boolean;
  taskMemcg: string | null;
  task: string | null;
  pid: number | null;
  uid: number | null;
}

const PREFIX = 'oom-kill:';
// In the kernel's print order. Values are delimited by the next key rather than by commas,
// because nodemasks (`0,2`), cgroup paths and comms may all contain commas.
const KEYS = [
  'constraint',
  'nodemask',
  'cpuset',
  'mems_allowed',
  'oom_memcg',
  'global_oom',
  'task_memcg',
  'task',
  'pid',
  'uid',
] as const;
type Key = (typeof KEYS)[number];

/**
 * `oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=…,mems_allowed=0,
 * oom_memcg=/docker/…,task_memcg=/docker/…,task=hog,pid=4624,uid=0`.
 */
export function parseOomKillSummary(message: string): OomKillSummary | null {
  if (!message.startsWith(PREFIX)) return null;
  const body = message.slice(PREFIX.length);

  const found: Array<{ key: Key; keyStart: number; valueStart: number }> = [];
  let from = 0;
  for (const key of KEYS) {
    const at = findKey(body, key, from);
    if (at === null) continue;
    found.push({ key, ...at });
    from = at.valueStart;
  }
  if (found.length === 0) return null;

  const values = new Map<Key, string>();
  found.forEach((entry, i) => {
    const end = found[i + 1]?.keyStart ?? body.length;
    values.set(entry.key, body.slice(entry.valueStart, end));
  });
  return {
    constraint: values.get('constraint') ?? null,
    nodemask: values.get('nodemask') ?? null,
    cpuset: values.get('cpuset') ?? null,
    memsAllowed: values.get('mems_allowed') ?? null,
    oomMemcg: values.get('oom_memcg') ?? null,
    globalOom: values.has('global_oom'),
    taskMemcg: values.get('task_memcg') ?? null,
    task: values.get('task') ?? null,
    pid: parseInteger(values.get('pid')),
    uid: parseInteger(values.get('uid')),
  };
}

function findKey(body: string, key: Key, from: number): { keyStart: number; valueStart: number } | null {
  if (key === 'global_oom') {
    // A flag without `=`: it must end at a comma or the end of the line to be the real thing.
    let at = body.indexOf(',global_oom', from);
    while (at >= 0) {
      const after = at + ',global_oom'.length;
      if (after === body.length || body[after] === ',') return { keyStart: at, valueStart: after };
      at = body.indexOf(',global_oom', at + 1);
    }
    return null;
  }
  if (from === 0 && body.startsWith(key + '=')) return { keyStart: 0, valueStart: key.length + 1 };
  const at = body.indexOf(`,${key}=`, from);
  return at < 0 ? null : { keyStart: at, valueStart: at + key.length + 2 };
}
