import { z } from 'zod';
import { SIZE_PATTERN } from '../units/size.ts';
import { DURATION_PATTERN } from '../units/duration.ts';
import { OUTCOMES } from '../outcome/outcomes.ts';

/** A size in bytes, or as Docker writes it: `64m`, `1g`. */
const Size = z
  .union([z.number().int().nonnegative(), z.string().regex(new RegExp(SIZE_PATTERN), 'expected a size such as 64m or 1g')])
  .describe('bytes, or a size with a Docker suffix such as 64m or 1g');

/** `-1` means unlimited swap, as with `docker run --memory-swap -1`. */
const SwapSize = z.union([z.literal(-1), Size]).describe('memory + swap limit (Docker semantics); -1 means unlimited swap');

/** A duration: `500ms`, `30s`, `2m`, or a number of milliseconds. */
const Duration = z
  .union([z.number().nonnegative(), z.string().regex(new RegExp(DURATION_PATTERN), 'expected a duration such as 500ms, 30s or 2m')])
  .describe('a duration such as 500ms, 30s or 2m; a bare number is milliseconds');

/** The memory-related flags of `docker run`, in camelCase. */
export const memoryFlagShape = {
  /** `--memory`: the container's hard limit. */
  memory: Size.optional().describe('--memory: hard memory limit'),
  /** `--memory-swap`: memory + swap. Needs `memory`. */
  memorySwap: SwapSize.optional(),
  /** `--memory-reservation`: the soft limit. */
  memoryReservation: Size.optional().describe('--memory-reservation: soft limit'),
  /** `--kernel-memory`: ignored by newer kernels; the record says so. */
  kernelMemory: Size.optional().describe('--kernel-memory: kernel memory limit (cgroup v1, old kernels)'),
  /** `--memory-swappiness` 0..100 (cgroup v1 only). */
  memorySwappiness: z.number().int().min(0).max(100).optional().describe('--memory-swappiness 0..100 (cgroup v1 only)'),
  /** `--oom-kill-disable` (cgroup v1 only). */
  oomKillDisable: z.boolean().optional().describe('--oom-kill-disable (cgroup v1 only)'),
  /** `--oom-score-adj` -1000..1000. Negative values need CAP_SYS_RESOURCE. */
  oomScoreAdj: z.number().int().min(-1000).max(1000).optional().describe('--oom-score-adj -1000..1000'),
  /** `--cgroup-parent`: a parent cgroup the user manages. */
  cgroupParent: z.string().min(1).optional().describe('--cgroup-parent: a parent cgroup you manage'),
  /** `--pids-limit`. */
  pidsLimit: z.number().int().optional().describe('--pids-limit'),
  /** `--cpus`. */
  cpus: z.number().positive().optional().describe('--cpus'),
  /** `--sysctl`: namespaced sysctls only (net.*, kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*). */
  sysctls: z.record(z.string(), z.union([z.string(), z.number()])).optional().describe('--sysctl: namespaced sysctls only; vm.* are host-wide'),
} as const;

/** A load phase against a service workload (mysqld), run by the harness over 127.0.0.1. */
export const LoadSchema = z
  .strictObject({
    kind: z.literal('mysql').default('mysql'),
    /** Rows of ~2 KiB in the warm-up table. */
    rows: z.number().int().min(1).default(131072),
    connections: z.number().int().min(1).max(1000).default(20),
    sortBuffer: Size.default('4m'),
    joinBuffer: Size.default('4m'),
    tmpTable: Size.default('32m'),
    /** How long the server may take to become ready (log line and a successful client connection). */
    ready: Duration.default('60s'),
  })
  .describe('a load phase against the service: warm-up scans, many connections with big buffers, big in-memory temporary tables');

/** One container of a scenario: a workload plus Docker's memory flags. */
export const ContainerSchema = z
  .strictObject({
    /** A workload from workloads/ (`hog`), giving the image and the default command. */
    workload: z.string().min(1).describe('a workload from workloads/, e.g. hog, or `image` for an image of your own'),
    /** With `workload: image`: the image to run, e.g. a service of your own docker-compose file. */
    image: z.string().min(1).optional().describe('with workload: image, the image to run'),
    /** Docker network mode; defaults to the workload's (none for hog and jvm, host for mysqld, bridge for images). */
    network: z.enum(['none', 'bridge', 'host']).optional(),
    /** Arguments appended to the workload's command. */
    args: z.array(z.union([z.string(), z.number()])).optional().describe("arguments for the workload's program"),
    /** Replaces the whole command: a list, or a string run by `sh -c`. */
    command: z.union([z.string(), z.array(z.string())]).optional().describe('the whole command; a string runs under sh -c'),
    /** Extra environment variables. */
    env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    /** A load phase; the run ends when it does, and containers still running then survived. */
    load: LoadSchema.optional(),
    ...memoryFlagShape,
  })
  .describe('a container: a workload and its memory flags');

/** A stand-in for the host: a parent cgroup with these limits holds every container of the run. */
export const VirtualHostSchema = z
  .strictObject({
    memory: Size.describe('the stand-in host memory'),
    memorySwap: SwapSize.optional(),
  })
  .describe("a parent cgroup standing in for the host, so the 'host' OOM killer can be provoked safely");

/** Host-wide settings for a run. They touch the whole machine, so sysctls need --allow-host-sysctl. */
export const HostSchema = z.strictObject({
  virtualHost: VirtualHostSchema.optional(),
  /** Host sysctls (vm.overcommit_memory, …), set for each run and restored after it. */
  sysctls: z
    .record(z.string(), z.union([z.string(), z.number()]))
    .optional()
    .describe('host-wide vm.* sysctls, set for the run and restored after it; needs --allow-host-sysctl'),
  /** A swap file of this size, enabled for each run and removed after it. */
  swap: Size.optional().describe('a swap file of this size, enabled for the run and removed after it'),
});

const ContainerOverride = ContainerSchema.partial().describe('fields to override in this container');

/** A variant overrides any part of the scenario by deep merge. */
export const VariantSchema = z
  .strictObject({
    description: z.string().optional(),
    timeout: Duration.optional(),
    host: HostSchema.partial().optional(),
    containers: z.record(z.string(), ContainerOverride).optional(),
  })
  .describe('a deep-merge override of the scenario');

const OutcomeName = z.enum(OUTCOMES);

/** Expected outcome(s) for one container: one outcome or a list of acceptable ones. */
export const ExpectationSchema = z.union([OutcomeName, z.array(OutcomeName).min(1)]);

export const ScenarioSchema = z
  .strictObject({
    $schema: z.string().optional(),
    /** The scenario's name; defaults to the file's base name. */
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lowercase letters, digits, dot, dash and underscore').optional(),
    description: z.string().optional(),
    /** Which engine runs the containers. */
    engine: z.enum(['auto', 'docker', 'host']).default('auto').describe('auto: docker where it answers, else host cgroups (as root); docker; host'),
    /** How many times to run each variant. */
    repeat: z.number().int().min(1).max(1000).default(1),
    /** How long one run may take before its containers count as `timeout`. */
    timeout: Duration.default('60s'),
    /** How long a cgroup may sit under_oom (kill disabled) before the run counts it as `oom-hung`. */
    hungAfter: Duration.default('3s').describe('how long under_oom must last to count as oom-hung'),
    host: HostSchema.optional(),
    /** Your docker-compose file's services as containers, under a stand-in host, with memory pressure. */
    compose: z
      .strictObject({
        /** Path of the compose file, relative to this scenario file. */
        file: z.string().min(1),
        /** hog:SIZE adds a hog growing to SIZE; a service name makes that service the one that grows. */
        pressure: z.string().default('hog:1g'),
        /** The stand-in host's memory; by default the services' limits added up. */
        hostMemory: Size.optional(),
      })
      .optional()
      .describe("a docker-compose file whose services become this scenario's containers"),
    containers: z
      .record(z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'container names use letters, digits, dot, dash, underscore'), ContainerSchema)
      .default({}),
    /** When the run ends: when every container has exited, or shortly after the kernel's first OOM kill. */
    until: z.enum(['exit', 'first-kill']).default('exit').describe('exit: when every container has exited; first-kill: shortly after the first OOM kill, the rest count as survived'),
    /** Named deep-merge overrides. Without variants there is one variant, `default`. */
    variants: z.record(z.string(), VariantSchema).optional(),
    /** Cartesian sweep: dotted path (e.g. `containers.app.memory`) → values. */
    matrix: z.record(z.string(), z.array(z.union([z.string(), z.number(), z.boolean()])).min(1)).optional(),
    /** variant (or `*`) → container → expected outcome(s). */
    expect: z.record(z.string(), z.record(z.string(), ExpectationSchema)).optional(),
  })
  .describe('an oomlab scenario');

/** A scenario file, as written. */
export type ScenarioFile = z.input<typeof ScenarioSchema>;
/** A scenario file after defaults. */
export type Scenario = z.output<typeof ScenarioSchema>;
export type ContainerConfig = z.output<typeof ContainerSchema>;
export type VariantConfig = z.output<typeof VariantSchema>;
export type VirtualHostConfig = z.output<typeof VirtualHostSchema>;
export type HostConfig = z.output<typeof HostSchema>;
export type Expectation = z.output<typeof ExpectationSchema>;

export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
