import { execFile } from 'node:child_process';
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { iso, type Clock } from '../clock/clock.ts';
import { journalPath, readJournal, removeJournal, writeJournal, type Journal, type JournalEntry } from './host-journal.ts';
import { isProcessAlive } from './host-fs.ts';

const run = promisify(execFile);

/** The host-wide sysctls a scenario may set (with --allow-host-sysctl). vm.panic_on_oom is never one of them. */
export const SETTABLE_SYSCTLS = [
  'vm.overcommit_memory',
  'vm.overcommit_ratio',
  'vm.overcommit_kbytes',
  'vm.min_free_kbytes',
  'vm.swappiness',
  'vm.oom_kill_allocating_task',
  'vm.oom_dump_tasks',
] as const;

export function sysctlPath(name: string): string {
  return `/proc/sys/${name.replaceAll('.', '/')}`;
}

export function readSysctl(name: string): string | null {
  try {
    return readFileSync(sysctlPath(name), 'utf8').trim();
  } catch {
    return null;
  }
}

/** Raised when the host refuses a change (e.g. swapon in a container without the rights). */
export class HostKnobRefused extends Error {
  override name = 'HostKnobRefused';
}

export interface RestoreReport {
  owner: number;
  restored: string[];
  failed: string[];
}

/** Undoes every change in a journal, newest first, then removes the journal. */
export async function restoreJournal(path: string, journal: Journal): Promise<RestoreReport> {
  const restored: string[] = [];
  const failed: string[] = [];
  for (const entry of [...journal.entries].reverse()) {
    try {
      if (entry.kind === 'sysctl') {
        const now = readSysctl(entry.name);
        if (now !== entry.original) writeFileSync(sysctlPath(entry.name), entry.original);
        restored.push(`${entry.name} = ${entry.original}${now !== entry.original ? ` (was ${now})` : ''}`);
      } else {
        await run('swapoff', [entry.path]).catch(() => undefined);
        if (entry.created && existsSync(entry.path)) unlinkSync(entry.path);
        restored.push(`swap ${entry.path} off${entry.created ? ' and removed' : ''}`);
      }
    } catch (error) {
      failed.push(`${entry.kind === 'sysctl' ? entry.name : entry.path}: ${(error as Error).message}`);
    }
  }
  if (failed.length === 0) removeJournal(path);
  return { owner: journal.pid, restored, failed };
}

/**
 * Restores what a harness that died (even by kill -9) left changed. Leaves a live harness's changes alone.
 * Returns null when there was nothing to restore.
 */
export async function restoreAbandoned(stateDir: string, isAlive: (pid: number) => boolean = isProcessAlive): Promise<RestoreReport | null> {
  const path = journalPath(stateDir);
  const journal = readJournal(path);
  if (!journal) return null;
  if (journal.pid !== process.pid && isAlive(journal.pid)) return null;
  return restoreJournal(path, journal);
}

/**
 * Changes to the host for one run. Every change is journaled (durably) before it is made, and `release`
 * undoes them all. One harness at a time may hold host knobs.
 */
export class HostKnobs {
  private readonly path: string;
  private journal: Journal | null = null;

  constructor(
    stateDir: string,
    private readonly clock: Clock,
  ) {
    this.path = journalPath(stateDir);
  }

  private record(entry: JournalEntry): void {
    if (!this.journal) {
      const existing = readJournal(this.path);
      if (existing && existing.pid !== process.pid && isProcessAlive(existing.pid)) {
        throw new HostKnobRefused(`another oomlab (pid ${existing.pid}) holds host knobs; wait for it or run \`oomlab restore\` once it has ended`);
      }
      this.journal = { version: 1, pid: process.pid, startedAt: iso(this.clock.nowMs()), entries: [] };
    }
    this.journal.entries.push(entry);
    writeJournal(this.path, this.journal);
  }

  /** Sets host sysctls; the original of each is journaled before its first write. */
  setSysctls(values: Record<string, string>): void {
    for (const [name, value] of Object.entries(values)) {
      const original = readSysctl(name);
      if (original === null) throw new HostKnobRefused(`${name} does not exist on this kernel`);
      if (!this.journal?.entries.some((e) => e.kind === 'sysctl' && e.name === name)) this.record({ kind: 'sysctl', name, original });
      try {
        writeFileSync(sysctlPath(name), value);
      } catch (error) {
        throw new HostKnobRefused(`cannot set ${name} = ${value}: ${(error as Error).message}`);
      }
      const now = readSysctl(name);
      if (now !== value) throw new HostKnobRefused(`${name} reads ${now} after writing ${value}`);
    }
  }

  /** Creates and enables a swap file of this size. */
  async enableSwap(bytes: number, path: string): Promise<void> {
    this.record({ kind: 'swap', path, created: true });
    try {
      await run('fallocate', ['-l', String(bytes), path]).catch(() => run('dd', ['if=/dev/zero', `of=${path}`, 'bs=1M', `count=${Math.ceil(bytes / 1048576)}`]));
      await run('chmod', ['600', path]);
      await run('mkswap', [path]);
      await run('swapon', [path]);
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr?.trim();
      throw new HostKnobRefused(`swapon ${path} refused: ${stderr || (error as Error).message}`);
    }
  }

  /** Undoes every change of this run. */
  async release(): Promise<RestoreReport | null> {
    if (!this.journal) return null;
    const journal = this.journal;
    this.journal = null;
    return restoreJournal(this.path, journal);
  }
}
