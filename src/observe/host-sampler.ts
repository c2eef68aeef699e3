import { readFile } from 'node:fs/promises';
import { iso, type Clock } from '../clock/clock.ts';
import { mapHostSample, type HostSample } from '../host/host-sample.ts';
import { readTextOrUndefined } from '../host/host-fs.ts';

/** Reads /proc/meminfo, /proc/vmstat and /proc/pressure/memory at a fixed rate: the host's side of each story. */
export class HostSampler {
  private timer: NodeJS.Timeout | null = null;
  private reading = false;
  readonly samples: HostSample[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly onSample: (sample: HostSample) => void,
  ) {}

  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.tick();
  }

  private async tick(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      const [meminfo, vmstat, pressure] = await Promise.all([
        readFile('/proc/meminfo', 'utf8'),
        readFile('/proc/vmstat', 'utf8'),
        readTextOrUndefined('/proc/pressure/memory'),
      ]);
      const sample = mapHostSample(iso(this.clock.nowMs()), meminfo, vmstat, pressure);
      this.samples.push(sample);
      this.onSample(sample);
    } catch {
      // /proc is always there on Linux; a failed read only loses one sample.
    } finally {
      this.reading = false;
    }
  }
}
