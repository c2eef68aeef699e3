import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunRecord } from '../../src/record/run-record.ts';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the real CLI, as a user would through `npm run scenario`. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [join(ROOT, 'bin/oomlab.mjs'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<CliResult>((resolveDone) => child.on('close', (code) => resolveDone({ code, stdout, stderr })));
  return { child, done };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return startCli(args, env).done;
}

/** Runs `oomlab run …` into a fresh directory and reads the run record it wrote. */
export async function runRecorded(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ result: CliResult; record: RunRecord; out: string }> {
  const out = tempDir();
  const result = await runCli(['run', ...args, '--out', out], env);
  if (result.code !== 0) throw new Error(`oomlab run ${args.join(' ')} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return { result, record: readRecord(out), out };
}

export function tempDir(prefix = 'oomlab-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function readRecord(dir: string): RunRecord {
  return JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunRecord;
}

export function container(record: RunRecord, variant: string, name: string, run = 0) {
  const found = record.variants.find((v) => v.name === variant)?.runs[run]?.containers.find((c) => c.name === name);
  if (!found) throw new Error(`no ${variant}/${name} in the record`);
  return found;
}

/** The pid in the kernel's own `Killed process <pid>` line of a recorded report. */
export function killedPidInReport(report: string[]): number | null {
  const line = report.find((l) => /Killed process \d+/.test(l));
  return line ? Number(/Killed process (\d+)/.exec(line)![1]) : null;
}
