import { closeSync, constants, openSync, readSync, writeSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Clock } from '../clock/clock.ts';
import type { KernelLogSource } from '../evidence/evidence.ts';
import type { KernelOomReport } from '../evidence/kernel-log/kernel-oom-report.ts';
import { createOomReportAssembler } from '../evidence/kernel-log/oom-report-assembler.ts';

const run = promisify(execFile);

export type KillListener = (report: KernelOomReport, observedAtMs: number) => void;

/** Reads the kernel log while runs go on and hands every completed OOM report to its listeners. */
export interface KernelLogObserver {
  readonly source: KernelLogSource;
  /** Why the kernel log cannot be read, when source is 'none'. */
  readonly problem: string | null;
  subscribe(listener: KillListener): () => void;
  /** Wall-clock ms of a kernel timestamp (µs since boot). */
  kernelTimeToWallMs(kernelTimeUs: number): number;
  /** Writes a line into the kernel log, so users can find the run in dmesg. Best effort. */
  mark(text: string): void;
  /** Reads anything pending right now, so a run's end does not wait for the next poll. */
  pollNow(): void;
  stop(): void;
}

export interface KernelLogObserverOptions {
  clock: Clock;
  /** How often to poll /dev/kmsg; bounds the kill-detection lag. */
  pollMs?: number;
  kmsgPath?: string;
}

const RECORD_BUFFER = 16 * 1024;

class Listeners {
  private readonly listeners = new Set<KillListener>();
  subscribe(listener: KillListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(report: KernelOomReport, at: number): void {
    for (const listener of this.listeners) listener(report, at);
  }
}

/**
 * /dev/kmsg opened non-blocking and polled: each read returns one record, EAGAIN means caught up.
 * A blocking read would pin a libuv worker thread that cannot be cancelled.
 */
class KmsgObserver implements KernelLogObserver {
  readonly source = 'kmsg' as const;
  readonly problem = null;
  private readonly listeners = new Listeners();
  private readonly assembler = createOomReportAssembler();
  private readonly buffer = Buffer.alloc(RECORD_BUFFER);
  private readonly timer: NodeJS.Timeout;
  /** Wall ms minus kernel ms, measured by writing a mark and reading its timestamp back. */
  private offsetMs: number;
  private calibrating: { nonce: string; wallMs: number } | null = null;

  constructor(
    private readonly fd: number,
    private readonly clock: Clock,
    pollMs: number,
  ) {
    this.offsetMs = clock.nowMs() - clock.monotonicMs();
    this.drain(false);
    this.calibrate();
    this.timer = setInterval(() => this.pollNow(), pollMs);
    this.timer.unref();
  }

  subscribe(listener: KillListener): () => void {
    return this.listeners.subscribe(listener);
  }

  kernelTimeToWallMs(kernelTimeUs: number): number {
    return kernelTimeUs / 1000 + this.offsetMs;
  }

  mark(text: string): void {
    try {
      writeSync(this.fd, `oomlab: ${text}\n`);
    } catch {
      // Writing needs more rights than reading; the mark is a convenience.
    }
  }

  pollNow(): void {
    this.drain(true);
  }

  stop(): void {
    clearInterval(this.timer);
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }

  private calibrate(): void {
    const nonce = `clock-mark-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
    this.calibrating = { nonce, wallMs: this.clock.nowMs() };
    this.mark(nonce);
    this.drain(false);
  }

  private drain(emit: boolean): void {
    for (;;) {
      let length: number;
      try {
        length = readSync(this.fd, this.buffer, 0, RECORD_BUFFER, null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // EPIPE: records were overwritten before we read them; the next read resumes at the oldest kept.
        if (code === 'EPIPE') continue;
        return;
      }
      if (length <= 0) return;
      const record = this.buffer.toString('utf8', 0, length);
      const line = record.split('\n', 1)[0]!;
      if (this.calibrating && line.includes(this.calibrating.nonce)) {
        const timestampUs = Number(line.split(',')[2]);
        if (Number.isFinite(timestampUs)) this.offsetMs = this.calibrating.wallMs - timestampUs / 1000;
        this.calibrating = null;
        continue;
      }
      const reports = this.assembler.push(line);
      if (emit) for (const report of reports) this.listeners.emit(report, this.clock.nowMs());
    }
  }
}

/** Where /dev/kmsg cannot be opened, `dmesg` may still read the log through syslog(2). */
class DmesgObserver implements KernelLogObserver {
  readonly source = 'dmesg' as const;
  readonly problem = null;
  private readonly listeners = new Listeners();
  private readonly timer: NodeJS.Timeout;
  private lastTimestamp = Number.NEGATIVE_INFINITY;
  private polling = false;

  constructor(
    private readonly clock: Clock,
    pollMs: number,
    startTimestamp: number,
  ) {
    this.lastTimestamp = startTimestamp;
    this.timer = setInterval(() => this.pollNow(), pollMs);
    this.timer.unref();
  }

  static async lastTimestamp(): Promise<number | null> {
    try {
      const { stdout } = await run('dmesg', ['--raw'], { maxBuffer: 64 * 1024 * 1024 });
      const lines = stdout.trimEnd().split('\n');
      const match = /\[\s*(\d+)\.(\d+)\]/.exec(lines.at(-1) ?? '');
      return match ? Number(match[1]) * 1e6 + Number(match[2]!.padEnd(6, '0')) : 0;
    } catch {
      return null;
    }
  }

  subscribe(listener: KillListener): () => void {
    return this.listeners.subscribe(listener);
  }
  kernelTimeToWallMs(kernelTimeUs: number): number {
    return kernelTimeUs / 1000 + (this.clock.nowMs() - this.clock.monotonicMs());
  }
  mark(): void {}
  pollNow(): void {
    if (this.polling) return;
    this.polling = true;
    run('dmesg', ['--raw'], { maxBuffer: 64 * 1024 * 1024 })
      .then(({ stdout }) => {
        const assembler = createOomReportAssembler();
        const fresh = stdout.split('\n').filter((line) => {
          const match = /\[\s*(\d+)\.(\d+)\]/.exec(line);
          return match ? Number(match[1]) * 1e6 + Number(match[2]!.padEnd(6, '0')) > this.lastTimestamp : false;
        });
        for (const line of fresh) {
          for (const report of assembler.push(line)) {
            if (report.kernelTimeUs !== null) this.lastTimestamp = Math.max(this.lastTimestamp, report.kernelTimeUs);
            this.listeners.emit(report, this.clock.nowMs());
          }
        }
      })
      .catch(() => undefined)
      .finally(() => {
        this.polling = false;
      });
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

class NoKernelLog implements KernelLogObserver {
  readonly source = 'none' as const;
  constructor(readonly problem: string) {}
  subscribe(): () => void {
    return () => undefined;
  }
  kernelTimeToWallMs(kernelTimeUs: number): number {
    return kernelTimeUs / 1000;
  }
  mark(): void {}
  pollNow(): void {}
  stop(): void {}
}

/** Opens the best kernel log source this host offers: /dev/kmsg, then dmesg, else none (cgroup counters decide). */
export async function startKernelLogObserver(options: KernelLogObserverOptions): Promise<KernelLogObserver> {
  const pollMs = options.pollMs ?? 10;
  let kmsgProblem: string;
  try {
    const fd = openSync(options.kmsgPath ?? '/dev/kmsg', constants.O_RDWR | constants.O_NONBLOCK);
    return new KmsgObserver(fd, options.clock, pollMs);
  } catch (error) {
    try {
      const fd = openSync(options.kmsgPath ?? '/dev/kmsg', constants.O_RDONLY | constants.O_NONBLOCK);
      return new KmsgObserver(fd, options.clock, pollMs);
    } catch (readError) {
      kmsgProblem = `/dev/kmsg: ${(readError as Error).message ?? error}`;
    }
  }
  const start = await DmesgObserver.lastTimestamp();
  if (start !== null) return new DmesgObserver(options.clock, Math.max(pollMs, 250), start);
  return new NoKernelLog(`${kmsgProblem}; dmesg cannot read the log either`);
}
