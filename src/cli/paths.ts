import { existsSync, readdirSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors/errors.ts';

export const PACKAGE_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const SCENARIO_DIR = resolve(PACKAGE_ROOT, 'scenarios');
export const REPORTS_DIR = resolve(PACKAGE_ROOT, 'reports');

export function shippedScenarioNames(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => basename(file, '.yaml'))
    .sort();
}

/** A scenario name from scenarios/, or the path of any scenario file. */
export function resolveScenarioFile(nameOrPath: string): string {
  if (existsSync(nameOrPath) && /\.ya?ml$/.test(nameOrPath)) return resolve(nameOrPath);
  const shipped = resolve(SCENARIO_DIR, `${nameOrPath}.yaml`);
  if (!extname(nameOrPath) && existsSync(shipped)) return shipped;
  throw new UsageError(`no scenario "${nameOrPath}": give a name from scenarios/ (${shippedScenarioNames().join(', ')}) or the path of a .yaml file`);
}
