import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { locateCgroup, parseCgroupMounts, parseProcCgroup, type CgroupLocation, type CgroupMounts } from '../cgroup/cgroup-path.ts';
import { settingDir, settingFiles, type CgroupFiles } from '../cgroup/memory-files.ts';

export async function readTextOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

export async function readCgroupFiles(dir: string, names: readonly string[]): Promise<CgroupFiles> {
  const entries = await Promise.all(names.map(async (name) => [name, await readTextOrUndefined(`${dir}/${name}`)] as const));
  return Object.fromEntries(entries.filter((entry): entry is readonly [string, string] => entry[1] !== undefined));
}

export function readCgroupMounts(): CgroupMounts {
  return parseCgroupMounts(readFileSync('/proc/self/mountinfo', 'utf8'));
}

export async function locateProcessCgroup(mounts: CgroupMounts, pid: number): Promise<CgroupLocation | null> {
  const text = await readTextOrUndefined(`/proc/${pid}/cgroup`);
  return text === undefined ? null : locateCgroup(mounts, parseProcCgroup(text));
}

/** Raw files that tell a cgroup's settings in force, from every controller directory that has them. */
export async function readSettingFiles(location: CgroupLocation): Promise<CgroupFiles> {
  const files: CgroupFiles = {};
  for (const [kind, name] of settingFiles(location.version)) {
    const dir = settingDir(location, kind);
    if (!dir) continue;
    const text = await readTextOrUndefined(`${dir}/${name}`);
    if (text !== undefined) files[name] = text;
  }
  return files;
}

export async function readOomScoreAdj(pid: number): Promise<number | null> {
  const text = await readTextOrUndefined(`/proc/${pid}/oom_score_adj`);
  return text === undefined ? null : Number(text.trim());
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
