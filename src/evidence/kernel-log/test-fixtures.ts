// Test support only: loads the shared /dev/kmsg fixtures and re-renders them in the other log
// formats, so every format is tested against the same real reports.
import { readdirSync, readFileSync } from 'node:fs';

export const FIXTURE_DIR = new URL('../../../../shared/fixtures/kmsg/', import.meta.url);

export function fixtureNames(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((name) => name.endsWith('.kmsg'))
    .sort();
}

export function readFixture(name: string): string {
  return readFileSync(new URL(name, FIXTURE_DIR), 'utf8');
}

export interface KmsgRecord {
  priority: number;
  sequence: number;
  timestampUs: number;
  message: string;
}

/** The fixture's records; dictionary continuation lines are dropped, as dmesg and journald do. */
export function kmsgRecords(text: string): KmsgRecord[] {
  const records: KmsgRecord[] = [];
  for (const line of text.split('\n')) {
    const semicolon = line.indexOf(';');
    if (line === '' || line.startsWith(' ') || semicolon < 0) continue;
    const [priority, sequence, timestampUs] = line.slice(0, semicolon).split(',').map(Number);
    records.push({ priority: priority!, sequence: sequence!, timestampUs: timestampUs!, message: line.slice(semicolon + 1) });
  }
  return records;
}

/** An arbitrary fixed boot time, so wall-clock renderings are deterministic. */
export const BOOT_EPOCH_MS = Date.UTC(2026, 11, 3, 0, 0, 0);

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(value: number, width: number, fill = '0'): string {
  return String(value).padStart(width, fill);
}

function wallClock(timestampUs: number): Date {
  return new Date(BOOT_EPOCH_MS + Math.floor(timestampUs / 1000));
}

function clock(date: Date): string {
  return `${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}`;
}

/** `[  199.253201]`, as dmesg prints the monotonic clock. */
export function monotonicStamp(timestampUs: number): string {
  return `[${pad(Math.floor(timestampUs / 1_000_000), 5, ' ')}.${pad(timestampUs % 1_000_000, 6)}]`;
}

/** `Thu Dec  3 12:00:00 2026`, as dmesg -T prints it. */
export function dmesgWallStamp(timestampUs: number): string {
  const date = wallClock(timestampUs);
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate(), 2, ' ')} ${clock(date)} ${date.getUTCFullYear()}`;
}

/** `Dec 03 12:00:00`, as journalctl's default short format prints it. */
export function journalStamp(timestampUs: number): string {
  const date = wallClock(timestampUs);
  return `${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate(), 2)} ${clock(date)}`;
}

export function toDmesg(kmsg: string): string {
  return render(kmsg, (r) => `${monotonicStamp(r.timestampUs)} ${r.message}`);
}

export function toDmesgRaw(kmsg: string): string {
  return render(kmsg, (r) => `<${r.priority}>${monotonicStamp(r.timestampUs)} ${r.message}`);
}

export function toDmesgWall(kmsg: string): string {
  return render(kmsg, (r) => `[${dmesgWallStamp(r.timestampUs)}] ${r.message}`);
}

export function toJournal(kmsg: string, host = 'labhost'): string {
  return render(kmsg, (r) => `${journalStamp(r.timestampUs)} ${host} kernel: ${r.message}`);
}

/** journalctl on systems that keep dmesg's timestamp in the message, like syslog's kern.log. */
export function toJournalWithMonotonic(kmsg: string, host = 'labhost'): string {
  return render(kmsg, (r) => `${journalStamp(r.timestampUs)} ${host} kernel: ${monotonicStamp(r.timestampUs)} ${r.message}`);
}

export function toBare(kmsg: string): string {
  return render(kmsg, (r) => r.message);
}

export function toCrlf(text: string): string {
  return text.replace(/\n/g, '\r\n');
}

function render(kmsg: string, line: (record: KmsgRecord) => string): string {
  return kmsgRecords(kmsg).map(line).join('\n') + '\n';
}
