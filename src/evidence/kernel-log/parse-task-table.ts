import type { OomCandidate } from './kernel-oom-report.ts';
import { parseInteger } from './parse-number.ts';

/**
 * Column names of the `Tasks state (memory values in pages):` table, from its header row, e.g.
 * `[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name`.
 * The set of columns differs between kernel versions, so rows are read by these names.
 */
export function parseTaskTableHeader(message: string): string[] | null {
  if (!message.startsWith('[')) return null;
  const close = message.indexOf(']');
  if (close < 0 || message.slice(1, close).trim() !== 'pid') return null;
  const rest = splitWhitespace(message.slice(close + 1));
  if (rest.length < 2 || rest[rest.length - 1] !== 'name') return null;
  return ['pid', ...rest];
}

/** `[   4624]     0  4624    16695    16393 … hog`, read against the header's `columns`. */
export function parseTaskTableRow(message: string, columns: readonly string[]): OomCandidate | null {
  if (!message.startsWith('[')) return null;
  const close = message.indexOf(']');
  if (close < 0) return null;
  const pid = parseInteger(message.slice(1, close));
  if (pid === null) return null;

  // Every column between pid and name is numeric; the name is the remainder of the line,
  // because a comm may contain spaces.
  const numeric = columns.slice(1, -1);
  const values = new Map<string, number>();
  let position = close + 1;
  for (const column of numeric) {
    const token = nextToken(message, position);
    if (token === null) return null;
    const value = parseInteger(token.text);
    if (value === null) return null;
    values.set(column, value);
    position = token.end;
  }
  const name = message.slice(position).trimStart();
  if (name === '') return null;

  return {
    pid,
    uid: values.get('uid') ?? null,
    tgid: values.get('tgid') ?? null,
    totalVmPages: values.get('total_vm') ?? null,
    rssPages: values.get('rss') ?? null,
    oomScoreAdj: values.get('oom_score_adj') ?? null,
    name,
  };
}

function splitWhitespace(text: string): string[] {
  return text.split(' ').filter((part) => part !== '');
}

function nextToken(text: string, from: number): { text: string; end: number } | null {
  let start = from;
  while (start < text.length && text[start] === ' ') start++;
  if (start >= text.length) return null;
  let end = start;
  while (end < text.length && text[end] !== ' ') end++;
  return { text: text.slice(start, end), end };
}
