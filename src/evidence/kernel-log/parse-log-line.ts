/** Which log presentation a line was recognised as; useful when diagnosing a mis-parse. */
export type LogLineFormat =
  | 'kmsg' // /dev/kmsg record: `6,500,199253201,-;message`
  | 'dmesg' // `[  199.253201] message`, `<6>[  199.253201] message` (-r), `kern  :info  : …` (-x), ISO time
  | 'dmesg-wall' // `[Thu Dec  3 12:00:00 2026] message` (dmesg -T)
  | 'journal' // `Dec 03 12:00:00 host kernel: message` and the other journalctl/syslog shapes
  | 'bare'; // just the message

/** One kernel log line with its presentation prefix taken off. */
export interface LogLine {
  message: string;
  /** Monotonic microseconds since boot, when the prefix carries it. */
  kernelTimeUs: number | null;
  /** /dev/kmsg sequence number. */
  sequence: number | null;
  /** Wall-clock text exactly as printed, when the prefix carries it. */
  wallTime: string | null;
  /** Hostname column of journalctl/syslog lines. */
  host: string | null;
  /** Syslog level 0–7 when the prefix carries the priority (kmsg, dmesg -r, dmesg -x). */
  level: number | null;
  format: LogLineFormat;
}

const KMSG_PREFIX = /^(\d{1,5}),(\d+),(\d+),[^;]*;/;
// Dictionary continuation lines (` SUBSYSTEM=memory`) carry metadata, never message text.
const KMSG_DICTIONARY = /^ [A-Z0-9_]+=/;
const RAW_PRIORITY = /^<(\d{1,5})>/;
const DECODED_PRIORITY =
  /^(?:kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|local[0-7]) *:(emerg|alert|crit|err|warn|notice|info|debug) *: ?/;
const MONOTONIC = /^\[ *(\d+)\.(\d+)\]/;
const DMESG_WALL = /^\[([A-Z][a-z]{2} [A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2} \d{4})\]/;
const ISO_STAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?/;
// CONFIG_PRINTK_CALLER adds `[  T123]` / `[    C1]` after dmesg's timestamp.
const CALLER_ID = /^\[ *[TC]\d+\] ?/;

const JOURNAL_MARKER = ' kernel:';
// The hostname and timestamp before ` kernel:` are short; a marker further in is message text.
const JOURNAL_MARKER_MAX_OFFSET = 160;
const JOURNAL_STAMPS: readonly RegExp[] = [
  /^[A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2}(?:\.\d{1,9})?$/, // short, short-precise, syslog
  /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?$/, // short-iso(-precise), rsyslog
  /^[A-Z][a-z]{2} \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?: [A-Za-z][\w+/-]*)?$/, // short-full
  /^\d+\.\d+$/, // short-unix
];
const LEVELS = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'];

/**
 * Strips whichever known prefix a kernel log line has. Returns null for lines that carry no
 * message: blank lines and /dev/kmsg dictionary continuations.
 */
export function parseLogLine(line: string): LogLine | null {
  const text = stripLineEnding(line);
  if (text.trim() === '' || KMSG_DICTIONARY.test(text)) return null;
  return parseKmsgRecord(text) ?? parseJournalLine(text) ?? parseDmesgLine(text);
}

/** `199.253201` (seconds, fraction) → 199253201; fractions are padded or cut to microseconds. */
export function secondsTextToMicros(seconds: string, fraction: string): number {
  const micros = (fraction + '000000').slice(0, 6);
  return Number(seconds) * 1_000_000 + Number(micros);
}

function stripLineEnding(line: string): string {
  let end = line.length;
  while (end > 0 && (line[end - 1] === '\n' || line[end - 1] === '\r')) end--;
  return end === line.length ? line : line.slice(0, end);
}

function parseKmsgRecord(text: string): LogLine | null {
  const match = KMSG_PREFIX.exec(text);
  if (!match) return null;
  return {
    message: text.slice(match[0].length),
    kernelTimeUs: Number(match[3]),
    sequence: Number(match[2]),
    wallTime: null,
    host: null,
    level: Number(match[1]) & 7,
    format: 'kmsg',
  };
}

function parseJournalLine(text: string): LogLine | null {
  const marker = text.indexOf(JOURNAL_MARKER);
  if (marker <= 0 || marker > JOURNAL_MARKER_MAX_OFFSET) return null;
  const head = text.slice(0, marker);
  const hostStart = head.lastIndexOf(' ') + 1;
  if (hostStart <= 1) return null;
  const host = head.slice(hostStart);
  const stamp = head.slice(0, hostStart - 1);

  let kernelTimeUs: number | null = null;
  let wallTime: string | null = null;
  const monotonic = MONOTONIC.exec(stamp);
  if (monotonic && monotonic[0].length === stamp.length) {
    kernelTimeUs = secondsTextToMicros(monotonic[1]!, monotonic[2]!); // journalctl -o short-monotonic
  } else if (JOURNAL_STAMPS.some((pattern) => pattern.test(stamp))) {
    wallTime = stamp;
  } else {
    return null;
  }

  let message = text.slice(marker + JOURNAL_MARKER.length);
  if (message.startsWith(' ')) message = message.slice(1);
  // Classic syslog files keep dmesg's own timestamp inside the message.
  const inner = kernelTimeUs === null ? MONOTONIC.exec(message) : null;
  if (inner) {
    kernelTimeUs = secondsTextToMicros(inner[1]!, inner[2]!);
    message = dropOneSpace(message.slice(inner[0].length));
  }
  return { message, kernelTimeUs, sequence: null, wallTime, host, level: null, format: 'journal' };
}

function parseDmesgLine(text: string): LogLine {
  let rest = text;
  let level: number | null = null;
  let prefixed = false;

  const raw = RAW_PRIORITY.exec(rest);
  if (raw) {
    level = Number(raw[1]) & 7;
    rest = rest.slice(raw[0].length);
    prefixed = true;
  } else {
    const decoded = DECODED_PRIORITY.exec(rest);
    if (decoded) {
      level = LEVELS.indexOf(decoded[1]!);
      rest = rest.slice(decoded[0].length);
      prefixed = true;
    }
  }

  let kernelTimeUs: number | null = null;
  let wallTime: string | null = null;
  let format: LogLineFormat = prefixed ? 'dmesg' : 'bare';
  const monotonic = MONOTONIC.exec(rest);
  const wall = monotonic ? null : DMESG_WALL.exec(rest);
  const iso = monotonic || wall ? null : ISO_STAMP.exec(rest);
  if (monotonic) {
    kernelTimeUs = secondsTextToMicros(monotonic[1]!, monotonic[2]!);
    rest = rest.slice(monotonic[0].length);
    format = 'dmesg';
  } else if (wall) {
    wallTime = wall[1]!;
    rest = rest.slice(wall[0].length);
    format = 'dmesg-wall';
  } else if (iso && (rest.length === iso[0].length || rest[iso[0].length] === ' ')) {
    wallTime = iso[0]; // dmesg --time-format=iso
    rest = rest.slice(iso[0].length);
    format = 'dmesg-wall';
  }
  if (format !== 'bare' && rest !== text) {
    if (kernelTimeUs !== null || wallTime !== null) rest = dropOneSpace(rest);
    const caller = CALLER_ID.exec(rest);
    if (caller) rest = rest.slice(caller[0].length);
  }
  return { message: rest, kernelTimeUs, sequence: null, wallTime, host: null, level, format };
}

// Only one separator space belongs to the prefix: stack-trace messages start with a space of their own.
function dropOneSpace(text: string): string {
  return text.startsWith(' ') ? text.slice(1) : text;
}
