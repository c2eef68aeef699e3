import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSamples, readRunDir } from './read-run-dir.ts';

const RECORD = { schemaVersion: 1, scenario: 's', runId: 'r1', host: { kernel: '6.8' }, engine: { name: 'docker' }, variants: [] };
const SAMPLE = { at: '2026-12-03T10:00:00.000Z', container: 'hog', usageBytes: 1 };

function dir(files: Record<string, string>): string {
  const path = mkdtempSync(join(tmpdir(), 'oomlab-read-run-dir-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(path, name), text);
  return path;
}

describe('readRunDir', () => {
  it('reads a run directory, or the path of its run.json', () => {
    const path = dir({ 'run.json': JSON.stringify(RECORD), 'samples.ndjson': `${JSON.stringify(SAMPLE)}\n${JSON.stringify(SAMPLE)}\n` });
    const fromDir = readRunDir(path);
    expect(fromDir.record.runId).toBe('r1');
    expect(fromDir.samples).toHaveLength(2);
    expect(fromDir.dir).toBe(path);
    expect(readRunDir(join(path, 'run.json'))).toEqual(fromDir);
  });

  it('tolerates a missing samples.ndjson', () => {
    expect(readRunDir(dir({ 'run.json': JSON.stringify(RECORD) })).samples).toEqual([]);
  });

  it('says clearly when run.json is missing or is not an oomlab run record', () => {
    expect(() => readRunDir(dir({}))).toThrow(/is not an oomlab run directory: it has no run\.json/);
    expect(() => readRunDir('/nonexistent/oomlab/run')).toThrow(/no run directory or run\.json at/);
    expect(() => readRunDir(dir({ 'run.json': '{"name":"package"}' }))).toThrow(/is not an oomlab run record: it has no schemaVersion/);
    expect(() => readRunDir(dir({ 'run.json': JSON.stringify({ ...RECORD, schemaVersion: 7 }) }))).toThrow(/schemaVersion 7; this oomlab reads run records of schemaVersion 1/);
    expect(() => readRunDir(dir({ 'run.json': JSON.stringify({ schemaVersion: 1 }) }))).toThrow(/lacks scenario, runId, host, engine, variants/);
    expect(() => readRunDir(dir({ 'run.json': '{"schemaVersion": 1,' }))).toThrow(/is not an oomlab run record/);
    expect(() => readRunDir(dir({ 'run.json': '[]' }))).toThrow(/no schemaVersion/);
  });
});

describe('parseSamples', () => {
  it('drops a half-written last line, but not a bad line in the middle', () => {
    const line = JSON.stringify(SAMPLE);
    expect(parseSamples(`${line}\n\n${line}\n{"at":"2026`)).toHaveLength(2);
    expect(() => parseSamples(`${line}\n{oops\n${line}\n`, 'x.ndjson')).toThrow(/x\.ndjson:2 is not a JSON line/);
  });
});
