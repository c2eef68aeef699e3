import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const WORKLOADS_DIR = resolve(fileURLToPath(new URL('../../../workloads', import.meta.url)));

/** How a workload runs as a plain process: extra PATH entries and environment. */
export interface HostWorkload {
  pathDirs: string[];
  env: Record<string, string>;
}

/** The workload is missing something on this host; the message says how to get it. */
export class HostWorkloadUnavailable extends Error {}

function onPath(program: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function newer(target: string, source: string): boolean {
  return existsSync(target) && statSync(target).mtimeMs >= statSync(source).mtimeMs;
}

/** Builds (once) and locates each workload's program for the host engine, under `stateDir`. */
export function prepareHostWorkload(workload: string, stateDir: string): HostWorkload {
  const bin = join(stateDir, 'bin');
  if (workload === 'hog') {
    const source = join(WORKLOADS_DIR, 'hog', 'hog.c');
    const target = join(bin, 'hog');
    if (!newer(target, source)) {
      if (!onPath('gcc')) throw new HostWorkloadUnavailable('hog is built from workloads/hog/hog.c and needs gcc: apt-get install -y gcc libc6-dev');
      mkdirSync(bin, { recursive: true });
      execFileSync('gcc', ['-O2', '-static', '-o', target, source], { stdio: 'pipe' });
    }
    return { pathDirs: [bin], env: {} };
  }
  if (workload === 'jvm') {
    if (!onPath('java') || !onPath('javac')) throw new HostWorkloadUnavailable('the jvm workload needs java and javac on PATH: apt-get install -y openjdk-17-jdk-headless');
    const source = join(WORKLOADS_DIR, 'jvm', 'Grow.java');
    const classes = join(stateDir, 'jvm');
    if (!newer(join(classes, 'Grow.class'), source)) {
      mkdirSync(classes, { recursive: true });
      execFileSync('javac', ['-d', classes, source], { stdio: 'pipe' });
    }
    return { pathDirs: [], env: { CLASSPATH: classes } };
  }
  if (workload === 'mysqld') {
    if (!onPath('mariadbd') || !onPath('mariadb-install-db')) {
      throw new HostWorkloadUnavailable('the mysqld workload needs MariaDB on the host: apt-get install -y --no-install-recommends mariadb-server');
    }
    // Runs as root with a private data directory per container (OOMLAB_RUNDIR, set by the engine).
    return { pathDirs: [join(WORKLOADS_DIR, 'mysqld')], env: { OOMLAB_MYSQL_USER: 'root' } };
  }
  throw new HostWorkloadUnavailable(
    workload === 'image' ? 'the host engine runs no images; use the docker engine for compose stacks and images' : `the host engine does not run the ${workload} workload yet; use the docker engine`,
  );
}
