import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** One host change, written down before it is made, so any later process can undo it. */
export type JournalEntry = { kind: 'sysctl'; name: string; original: string } | { kind: 'swap'; path: string; created: boolean };

export interface Journal {
  version: 1;
  /** The harness that made the changes; while it lives, nobody else restores them. */
  pid: number;
  startedAt: string;
  entries: JournalEntry[];
}

export function defaultStateDir(): string {
  return process.env.OOMLAB_STATE_DIR ?? '/var/lib/oomlab';
}

export function journalPath(stateDir: string): string {
  return join(stateDir, 'host-journal.json');
}

export function readJournal(path: string): Journal | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Journal;
  } catch {
    // A torn write can only happen before the change it describes was made.
    return null;
  }
}

/** Writes the journal durably: temp file, fsync, rename, fsync of the directory. */
export function writeJournal(path: string, journal: Journal): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, `${JSON.stringify(journal, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  const dirFd = openSync(dirname(path), 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

export function removeJournal(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
