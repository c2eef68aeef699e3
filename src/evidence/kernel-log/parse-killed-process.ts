import { parseInteger, parseKilobytes } from './parse-number.ts';

/**
 * A `Killed process …` line, or the `Kill process … score … or sacrifice child` selection line
 * that kernels before 5.2 print first: the kernel may then kill a child instead, so only a
 * `killed` line names the actual victim.
 */
export interface KilledProcessLine {
  kind: 'killed' | 'selected';
  /** Text before `: `, e.g. 'Memory cgroup out of memory', 'Out of memory'; null when absent (old kernels). */
  reason: string | null;
  /** From the reason; null when there is none to tell. */
  memcgOom: boolean | null;
  pid: number;
  comm: string;
  totalVmKb: number | null;
  anonRssKb: number | null;
  fileRssKb: number | null;
  shmemRssKb: number | null;
  uid: number | null;
  pgtablesKb: number | null;
  oomScoreAdj: number | null;
  /** The badness score of a selection line. */
  score: number | null;
}

const KILLED = 'Killed process ';
const SELECTED = ['Kill process ', 'kill process '];

/**
 * Modern: `Memory cgroup out of memory: Killed process 4624 (hog) total-vm:66780kB, anon-rss:65024kB,
 * file-rss:548kB, shmem-rss:0kB, UID:0 pgtables:172kB oom_score_adj:0`, or `Out of memory: …`.
 * Older: the same without the reason prefix or without some fields (`vsz:` on 2.6), and the
 * separate `…: Kill process 1234 (x) score 1000 or sacrifice child` selection line.
 */
export function parseKilledProcessLine(message: string): KilledProcessLine | null {
  let kind: KilledProcessLine['kind'] = 'killed';
  let at = findPhrase(message, KILLED);
  let phrase = KILLED;
  if (at < 0) {
    kind = 'selected';
    for (const candidate of SELECTED) {
      at = findPhrase(message, candidate);
      phrase = candidate;
      if (at >= 0) break;
    }
    if (at < 0) return null;
  }

  const reason = at === 0 ? null : message.slice(0, at - 2);
  const afterPhrase = message.slice(at + phrase.length);
  const open = afterPhrase.indexOf(' (');
  if (open <= 0) return null;
  const pid = parseInteger(afterPhrase.slice(0, open));
  if (pid === null) return null;

  // The comm may itself contain parentheses or spaces, so close at the last `)` that precedes
  // the fields rather than at the first one.
  const commStart = open + 2;
  let close = -1;
  for (const ending of [') total-vm:', ') vsz:', ') score ']) {
    close = afterPhrase.lastIndexOf(ending);
    if (close >= commStart) break;
  }
  if (close < commStart) close = afterPhrase.lastIndexOf(')');
  if (close < commStart) return null;

  const fields = readFields(afterPhrase.slice(close + 1));
  return {
    kind,
    reason,
    memcgOom: reasonIsMemcg(reason),
    pid,
    comm: afterPhrase.slice(commStart, close),
    totalVmKb: parseKilobytes(fields.get('total-vm') ?? fields.get('vsz')),
    anonRssKb: parseKilobytes(fields.get('anon-rss')),
    fileRssKb: parseKilobytes(fields.get('file-rss')),
    shmemRssKb: parseKilobytes(fields.get('shmem-rss')),
    uid: parseInteger(fields.get('uid')),
    pgtablesKb: parseKilobytes(fields.get('pgtables')),
    oomScoreAdj: parseInteger(fields.get('oom_score_adj')),
    score: parseInteger(fields.get('score')),
  };
}

/**
 * `Out of memory and no killable processes...`: the kernel gave up without a victim, so the
 * report in progress will never get its Killed process line.
 */
export function isNoVictimLine(message: string): boolean {
  return message.startsWith('Out of memory and no killable processes');
}

/** `Memory cgroup out of memory` → true, `Out of memory` (any variant) → false. */
function reasonIsMemcg(reason: string | null): boolean | null {
  if (reason === null) return null;
  if (reason.startsWith('Memory cgroup out of memory')) return true;
  if (reason.startsWith('Out of memory')) return false;
  return null;
}

/** The phrase at the start of the message or right after a `reason: ` prefix. */
function findPhrase(message: string, phrase: string): number {
  if (message.startsWith(phrase)) return 0;
  const at = message.indexOf(': ' + phrase);
  return at < 0 ? -1 : at + 2;
}

/** `key:value` tokens separated by spaces and commas; `score 1000` is the one space-separated pair. */
function readFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  const tokens = text.split(/[ ,]/).filter((token) => token !== '');
  tokens.forEach((token, i) => {
    const colon = token.indexOf(':');
    if (colon > 0) fields.set(token.slice(0, colon).toLowerCase(), token.slice(colon + 1));
    else if (token === 'score' && tokens[i + 1] !== undefined) fields.set('score', tokens[i + 1]!);
  });
  return fields;
}
