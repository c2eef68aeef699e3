/** What a line of a workload's output can tell about memory. */
export type WorkloadSignal = 'alloc-failed' | 'runtime-oom' | 'start-failed';

export interface OutputSignal {
  signal: WorkloadSignal;
  pattern: RegExp;
  /** The specific kind, e.g. a JVM OutOfMemoryError's "Java heap space". */
  detail?: (match: RegExpExecArray) => string;
}

/** The JVM names its OutOfMemoryError kinds in its own words; these are the ones scenarios tell apart. */
export function jvmOomKind(message: string | undefined): string {
  const text = (message ?? '').trim();
  if (/^Java heap space/i.test(text)) return 'Java heap space';
  if (/direct buffer memory/i.test(text)) return 'Direct buffer memory';
  if (/^Metaspace/i.test(text)) return 'Metaspace';
  if (/^Compressed class space/i.test(text)) return 'Compressed class space';
  if (/unable to create (new )?native thread/i.test(text)) return 'unable to create native thread';
  if (/GC overhead limit exceeded/i.test(text)) return 'GC overhead limit exceeded';
  return text || 'unknown';
}

/** How a workload named in a scenario becomes a container. */
export interface WorkloadDefinition {
  name: string;
  image: string;
  /** The program that `args` are appended to. */
  command: string[];
  /** The exit code the workload uses when an allocation failed with ENOMEM. */
  allocFailedExitCode: number | null;
  /** Lines of output by which the workload says something about memory, checked in this order. */
  outputSignals: OutputSignal[];
  /** Docker network mode; memory workloads need none, and none keeps them off the host's network. */
  network: 'none' | 'bridge' | 'host';
  /** Folder under workloads/ that lab:setup builds the image from. */
  buildContext: string;
  /** A service the harness can load: it listens on 127.0.0.1 at the port given in this variable. */
  service?: { portEnv: string; load: 'mysql' };
}

export const WORKLOADS: Record<string, WorkloadDefinition> = {
  hog: {
    name: 'hog',
    image: 'oomlab/hog:latest',
    command: ['hog'],
    allocFailedExitCode: 12,
    network: 'none',
    outputSignals: [{ signal: 'alloc-failed', pattern: /"event"\s*:\s*"alloc-failed"/ }],
    buildContext: 'workloads/hog',
  },
  jvm: {
    name: 'jvm',
    image: 'oomlab/jvm:latest',
    // CLASSPATH=/app in the image, so the scenario's args are JVM flags followed by `Grow --grow …`.
    command: ['java'],
    allocFailedExitCode: null,
    network: 'none',
    outputSignals: [
      { signal: 'start-failed', pattern: /Could not reserve enough space for [^\n]*|Error occurred during initialization of VM|Could not create the Java Virtual Machine/ },
      { signal: 'runtime-oom', pattern: /java\.lang\.OutOfMemoryError(?::\s*([^\n]*))?/, detail: (match) => jvmOomKind(match[1]) },
    ],
    buildContext: 'workloads/jvm',
  },
  image: {
    name: 'image',
    // Given by the container's `image`; the image's own command unless the scenario gives one.
    image: '',
    command: [],
    allocFailedExitCode: null,
    network: 'bridge',
    outputSignals: [],
    buildContext: '',
  },
  mysqld: {
    name: 'mysqld',
    image: 'oomlab/mysqld:latest',
    // The scenario's args are mariadbd options: --innodb-buffer-pool-size=256M, --max-connections=200, …
    command: ['oomlab-mysqld'],
    allocFailedExitCode: null,
    // Host networking, bound to 127.0.0.1 on a port the harness picks: load never leaves the machine.
    network: 'host',
    outputSignals: [{ signal: 'start-failed', pattern: /\[ERROR\] (?:Aborting|Can't start server|InnoDB: Cannot allocate memory)[^\n]*/ }],
    buildContext: 'workloads/mysqld',
    service: { portEnv: 'OOMLAB_PORT', load: 'mysql' },
  },
};

export function findWorkload(name: string): WorkloadDefinition | undefined {
  return Object.hasOwn(WORKLOADS, name) ? WORKLOADS[name] : undefined;
}
