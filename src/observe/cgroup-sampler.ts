import type { Clock } from '../clock/clock.ts';
import { iso } from '../clock/clock.ts';
import type { CgroupLocation } from '../cgroup/cgroup-path.ts';
import { mapMemorySample, sampleFiles, type MemorySample } from '../cgroup/memory-files.ts';
import type { Evidence } from '../evidence/evidence.ts';
import { readCgroupFiles } from '../host/host-fs.ts';
import { UnderOomTracker } from './under-oom-tracker.ts';

/** One line of samples.ndjson. */
export interface SampleRecord extends MemorySample {
  at: string;
  container: string;
}

export interface SamplerOptions {
  container: string;
  location: CgroupLocation;
  clock: Clock;
  intervalMs: number;
  hungAfterMs: number;
  onSample: (sample: SampleRecord) => void;
  onEvidence: (evidence: Evidence) => void;
}

/** Reads a container's memory files at a fixed rate until stopped or until the cgroup disappears. */
export class CgroupSampler {
  private timer: NodeJS.Timeout | null = null;
  private reading = false;
  // A container's cgroup is new, so its oom_kill counter starts at 0.
  private lastOomKills: number | null = 0;
  private readonly tracker: UnderOomTracker;
  peakBytes: number | null = null;
  peakSwapBytes: number | null = null;
  limitBytes: number | null = null;
  samples = 0;

  constructor(private readonly options: SamplerOptions) {
    this.tracker = new UnderOomTracker(options.hungAfterMs);
  }

  get hung(): boolean {
    return this.tracker.hung;
  }

  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
  }

  /** Takes one last reading, then stops. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.tick(true);
  }

  private async tick(final = false): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      const { location, container, clock } = this.options;
      const files = await readCgroupFiles(location.memoryDir, sampleFiles(location.version));
      if (Object.keys(files).length === 0) {
        // The cgroup is gone with the container; nothing more to read.
        if (this.timer && !final) clearInterval(this.timer);
        this.timer = null;
        return;
      }
      const now = clock.nowMs();
      const sample = mapMemorySample(location.version, files);
      this.samples++;
      const peak = Math.max(sample.usageBytes ?? 0, sample.peakBytes ?? 0);
      this.peakBytes = Math.max(this.peakBytes ?? 0, peak);
      this.limitBytes = sample.limitBytes;
      if (sample.swapBytes !== null) this.peakSwapBytes = Math.max(this.peakSwapBytes ?? 0, sample.swapBytes);
      this.options.onSample({ at: iso(now), container, ...sample });
      if (sample.oomKillCount !== null) {
        if (this.lastOomKills !== null && sample.oomKillCount !== this.lastOomKills) {
          this.options.onEvidence({ kind: 'oom-counter', at: iso(now), container, count: sample.oomKillCount, previous: this.lastOomKills });
        }
        this.lastOomKills = sample.oomKillCount;
      }
      const hungFor = this.tracker.update(sample.underOom, now);
      if (hungFor !== null) this.options.onEvidence({ kind: 'under-oom', at: iso(now), container, hungForMs: hungFor });
    } finally {
      this.reading = false;
    }
  }
}
