import { parseInteger, parseKilobytes } from './parse-number.ts';

/** `oom_reaper: reaped process 4624 (hog), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB`. */
export interface OomReaperLine {
  pid: number;
  comm: string;
  anonRssKb: number | null;
  fileRssKb: number | null;
  shmemRssKb: number | null;
}

const PREFIX = 'oom_reaper: reaped process ';

export function parseOomReaperLine(message: string): OomReaperLine | null {
  if (!message.startsWith(PREFIX)) return null;
  const rest = message.slice(PREFIX.length);
  const open = rest.indexOf(' (');
  if (open <= 0) return null;
  const pid = parseInteger(rest.slice(0, open));
  if (pid === null) return null;
  let close = rest.lastIndexOf('), now ');
  if (close < open + 2) close = rest.lastIndexOf(')');
  if (close < open + 2) return null;

  const fields = new Map<string, string>();
  for (const token of rest.slice(close + 1).split(/[ ,]/)) {
    const colon = token.indexOf(':');
    if (colon > 0) fields.set(token.slice(0, colon), token.slice(colon + 1));
  }
  return {
    pid,
    comm: rest.slice(open + 2, close),
    anonRssKb: parseKilobytes(fields.get('anon-rss')),
    fileRssKb: parseKilobytes(fields.get('file-rss')),
    shmemRssKb: parseKilobytes(fields.get('shmem-rss')),
  };
}
