/**
 * Reads a run directory back: run.json and samples.ndjson. The I/O edge of the reports; everything
 * after it is pure.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { SampleRecord } from '../observe/cgroup-sampler.ts';
import { RUN_RECORD_SCHEMA_VERSION, type RunRecord } from './run-record.ts';

export interface RunDir {
  record: RunRecord;
  /** Every memory sample of the run, in file order; empty when samples.ndjson is missing. */
  samples: SampleRecord[];
  /** The run directory, absolute. */
  dir: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks that parsed JSON is an oomlab run record this version can read; throws a plain Error saying what is wrong. */
function checkRecord(value: unknown, file: string): RunRecord {
  if (!isObject(value) || !('schemaVersion' in value)) {
    throw new Error(`${file} is not an oomlab run record: it has no schemaVersion`);
  }
  if (value.schemaVersion !== RUN_RECORD_SCHEMA_VERSION) {
    throw new Error(`${file} has schemaVersion ${JSON.stringify(value.schemaVersion)}; this oomlab reads run records of schemaVersion ${RUN_RECORD_SCHEMA_VERSION}`);
  }
  const missing = [
    typeof value.scenario === 'string' ? null : 'scenario',
    typeof value.runId === 'string' ? null : 'runId',
    isObject(value.host) ? null : 'host',
    isObject(value.engine) ? null : 'engine',
    Array.isArray(value.variants) ? null : 'variants',
  ].filter((key): key is string => key !== null);
  if (missing.length > 0) throw new Error(`${file} is not an oomlab run record: it lacks ${missing.join(', ')}`);
  return value as unknown as RunRecord;
}

/**
 * Parses samples.ndjson. A crash can leave the last line half-written (the writer appends line by
 * line), so an unparsable final line without a newline is dropped; a bad line anywhere else is an error.
 */
export function parseSamples(text: string, file = 'samples.ndjson'): SampleRecord[] {
  const samples: SampleRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    try {
      samples.push(JSON.parse(line) as SampleRecord);
    } catch (error) {
      if (i === lines.length - 1) break;
      throw new Error(`${file}:${i + 1} is not a JSON line (${(error as Error).message})`);
    }
  }
  return samples;
}

/**
 * Reads the run directory at `path`, which may also be the path of its run.json. A missing
 * samples.ndjson gives no samples (the run's containers never started); a missing or foreign
 * run.json is an error.
 */
export function readRunDir(path: string): RunDir {
  const absolute = resolve(path);
  if (!existsSync(absolute)) throw new Error(`no run directory or run.json at ${absolute}`);
  const isFile = statSync(absolute).isFile();
  const dir = isFile ? dirname(absolute) : absolute;
  const runJson = isFile ? absolute : join(dir, 'run.json');
  if (!isFile && !existsSync(runJson)) throw new Error(`${dir} is not an oomlab run directory: it has no run.json`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(runJson, 'utf8'));
  } catch (error) {
    throw new Error(`${runJson} is not an oomlab run record: ${(error as Error).message}`);
  }
  const record = checkRecord(parsed, runJson);
  const samplesFile = join(dir, 'samples.ndjson');
  const samples = existsSync(samplesFile) ? parseSamples(readFileSync(samplesFile, 'utf8'), samplesFile) : [];
  return { record, samples, dir };
}
