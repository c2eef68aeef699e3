/** How a workload named in a scenario becomes a container. */
export interface WorkloadDefinition {
  name: string;
  image: string;
  /** The program that `args` are appended to. */
  command: string[];
  /** The exit code the workload uses when an allocation failed with ENOMEM. */
  allocFailedExitCode: number | null;
  /** Folder under workloads/ that lab:setup builds the image from. */
  buildContext: string;
}

export const WORKLOADS: Record<string, WorkloadDefinition> = {
  hog: {
    name: 'hog',
    image: 'oomlab/hog:latest',
    command: ['hog'],
    allocFailedExitCode: 12,
    buildContext: 'workloads/hog',
  },
};

export function findWorkload(name: string): WorkloadDefinition | undefined {
  return Object.hasOwn(WORKLOADS, name) ? WORKLOADS[name] : undefined;
}
