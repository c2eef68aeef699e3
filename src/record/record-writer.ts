import { mkdirSync, openSync, writeSync, closeSync, fsyncSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Evidence } from '../evidence/evidence.ts';
import type { SampleRecord } from '../observe/cgroup-sampler.ts';
import type { RunRecord } from './run-record.ts';
import type { HostSample } from '../host/host-sample.ts';

/**
 * Writes a run directory: events.ndjson, samples.ndjson and host.ndjson are appended line by line as things happen
 * (written straight to the file, so a crash loses nothing already seen); run.json is written at the end.
 */
export class RecordWriter {
  private readonly eventsFd: number;
  private readonly samplesFd: number;
  private readonly hostFd: number;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.eventsFd = openSync(join(dir, 'events.ndjson'), 'a');
    this.samplesFd = openSync(join(dir, 'samples.ndjson'), 'a');
    this.hostFd = openSync(join(dir, 'host.ndjson'), 'a');
  }

  hostSample(sample: HostSample): void {
    writeSync(this.hostFd, `${JSON.stringify(sample)}\n`);
  }

  evidence(item: Evidence): void {
    writeSync(this.eventsFd, `${JSON.stringify(item)}\n`);
  }

  sample(sample: SampleRecord): void {
    writeSync(this.samplesFd, `${JSON.stringify(sample)}\n`);
  }

  writeRecord(record: RunRecord): string {
    return this.writeFile('run.json', `${JSON.stringify(record, null, 2)}\n`);
  }

  /** Written through a temporary name, so a reader never sees half a file. */
  writeFile(name: string, content: string): string {
    const path = join(this.dir, name);
    writeFileSync(`${path}.tmp`, content);
    renameSync(`${path}.tmp`, path);
    return path;
  }

  close(): void {
    for (const fd of [this.eventsFd, this.samplesFd, this.hostFd]) {
      try {
        fsyncSync(fd);
        closeSync(fd);
      } catch {
        // already closed
      }
    }
  }
}
