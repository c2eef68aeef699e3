/** How a workload named in a scenario becomes a container. */
export interface WorkloadDefinition {
  name: string;
  image: string;
  /** The program that `args` are appended to. */
  command: string[];
  /** The exit code the workload uses when an allocation failed with ENOMEM. */
  allocFailedExitCode: number | null;
  /** A line of output by which the workload says an allocation failed. */
  allocFailedPattern: RegExp | null;
  /** Docker network mode; memory workloads need none, and none keeps them off the host's network. */
  network: 'none' | 'bridge' | 'host';
  /** Folder under workloads/ that lab:setup builds the image from. */
  buildContext: string;
}

export const WORKLOADS: Record<string, WorkloadDefinition> = {
  hog: {
    name: 'hog',
    image: 'oomlab/hog:latest',
    command: ['hog'],
    allocFailedExitCode: 12,
    network: 'none',
    allocFailedPattern: /"event"\s*:\s*"alloc-failed"/,
    buildContext: 'workloads/hog',
  },
};

export function findWorkload(name: string): WorkloadDefinition | undefined {
  return Object.hasOwn(WORKLOADS, name) ? WORKLOADS[name] : undefined;
}
