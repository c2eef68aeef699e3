import { closest } from 'fastest-levenshtein';
import type { ContainerConfig, Expectation, Scenario } from '../scenario/schema.ts';
import type { Outcome } from '../outcome/outcomes.ts';
import { expandVariants } from './expand-variants.ts';
import { parseSize } from '../units/size.ts';
import { parseDuration } from '../units/duration.ts';
import { findWorkload } from '../workload/catalog.ts';
import { UsageError } from '../errors/errors.ts';
import type { MysqlLoadSpec } from '../load/mysql-load.ts';
import { hasPlaceholders, resolvePlaceholders, type HostSizes } from './host-placeholders.ts';

/**
 * Memory settings of one container with sizes in bytes, named as the scenario names them.
 * The same shape holds what was requested and what the kernel actually enforces.
 */
export interface MemorySettings {
  memory?: number;
  /** memory + swap; -1 is unlimited swap. */
  memorySwap?: number;
  memoryReservation?: number;
  kernelMemory?: number;
  memorySwappiness?: number;
  oomKillDisable?: boolean;
  oomScoreAdj?: number;
  cgroupParent?: string;
  pidsLimit?: number;
  cpus?: number;
  sysctls?: Record<string, string>;
}

/** Every memory setting, in the order records and reports list them. */
export const MEMORY_SETTING_KEYS = [
  'memory',
  'memorySwap',
  'memoryReservation',
  'kernelMemory',
  'memorySwappiness',
  'oomKillDisable',
  'oomScoreAdj',
  'pidsLimit',
  'cpus',
  'cgroupParent',
  'sysctls',
] as const satisfies ReadonlyArray<keyof MemorySettings>;

/** Everything an engine needs to start one container. */
export interface ContainerSpec {
  name: string;
  workload: string;
  image: string;
  command: string[];
  env: Record<string, string>;
  network: 'none' | 'bridge' | 'host';
  /** For service workloads: the variable that carries the port the harness picks. */
  servicePortEnv: string | null;
  load: MysqlLoadSpec | null;
  requested: MemorySettings;
}

export interface VirtualHostSpec {
  memoryBytes: number;
  memorySwapBytes: number | null;
}

export interface VariantPlan {
  name: string;
  description: string | null;
  matrix: Record<string, string | number | boolean>;
  timeoutMs: number;
  hungAfterMs: number;
  /** exit: the run lasts until every container has exited; first-kill: until shortly after the first OOM kill. */
  until: 'exit' | 'first-kill';
  virtualHost: VirtualHostSpec | null;
  /** Host-wide sysctls to set for each run of this variant (restored after it). */
  hostSysctls: Record<string, string>;
  /** Size of a swap file to enable for each run, or null. */
  swapBytes: number | null;
  containers: ContainerSpec[];
  /** container → acceptable outcomes; a container without an entry has no expectation. */
  expect: Record<string, Outcome[]>;
}

export interface RunPlan {
  variant: VariantPlan;
  /** Repeat index within the variant, from 0. */
  repeatIndex: number;
  /** Position in the whole run list, from 0. */
  ordinal: number;
}

export interface ScenarioPlan {
  scenario: string;
  description: string | null;
  engine: Scenario['engine'];
  repeat: number;
  until: Scenario['until'];
  variants: VariantPlan[];
  runs: RunPlan[];
}

export interface PlanOptions {
  variants?: string[];
  repeat?: number;
  /** This host's sizes, for `{{commitLimit 50}}`-style arguments. */
  host?: HostSizes;
}

export function resolveSettings(config: ContainerConfig): MemorySettings {
  const settings: MemorySettings = {};
  if (config.memory !== undefined) settings.memory = parseSize(config.memory);
  if (config.memorySwap !== undefined) settings.memorySwap = config.memorySwap === -1 ? -1 : parseSize(config.memorySwap);
  if (config.memoryReservation !== undefined) settings.memoryReservation = parseSize(config.memoryReservation);
  if (config.kernelMemory !== undefined) settings.kernelMemory = parseSize(config.kernelMemory);
  if (config.memorySwappiness !== undefined) settings.memorySwappiness = config.memorySwappiness;
  if (config.oomKillDisable !== undefined) settings.oomKillDisable = config.oomKillDisable;
  if (config.oomScoreAdj !== undefined) settings.oomScoreAdj = config.oomScoreAdj;
  if (config.cgroupParent !== undefined) settings.cgroupParent = config.cgroupParent;
  if (config.pidsLimit !== undefined) settings.pidsLimit = config.pidsLimit;
  if (config.cpus !== undefined) settings.cpus = config.cpus;
  if (config.sysctls !== undefined) settings.sysctls = Object.fromEntries(Object.entries(config.sysctls).map(([k, v]) => [k, String(v)]));
  return settings;
}

function resolveContainer(name: string, config: ContainerConfig, host: HostSizes | undefined): ContainerSpec {
  const workload = findWorkload(config.workload);
  if (!workload) throw new UsageError(`unknown workload ${config.workload}`);
  const written =
    typeof config.command === 'string'
      ? ['sh', '-c', config.command]
      : config.command ?? [...workload.command, ...(config.args ?? []).map(String)];
  const command = written.map((part) => {
    if (!hasPlaceholders(part)) return part;
    if (!host) throw new UsageError(`${name}: "${part}" refers to host sizes, which are not known here`);
    return resolvePlaceholders(part, host);
  });
  return {
    name,
    workload: workload.name,
    image: config.image ?? workload.image,
    command,
    env: Object.fromEntries(Object.entries(config.env ?? {}).map(([k, v]) => [k, String(v)])),
    network: config.network ?? workload.network,
    servicePortEnv: workload.service?.portEnv ?? null,
    load: config.load
      ? {
          kind: 'mysql',
          rows: config.load.rows,
          connections: config.load.connections,
          sortBufferBytes: parseSize(config.load.sortBuffer),
          joinBufferBytes: parseSize(config.load.joinBuffer),
          tmpTableBytes: parseSize(config.load.tmpTable),
          readyTimeoutMs: parseDuration(config.load.ready),
        }
      : null,
    requested: resolveSettings(config),
  };
}

function asList(expectation: Expectation): Outcome[] {
  return Array.isArray(expectation) ? expectation : [expectation];
}

/** Scenario → the flat list of fully resolved runs (variants × matrix × repeat). No I/O. */
export function planScenario(scenario: Scenario, options: PlanOptions = {}): ScenarioPlan {
  const expanded = expandVariants(scenario);
  const names = expanded.map((variant) => variant.name);
  for (const wanted of options.variants ?? []) {
    if (!names.includes(wanted)) {
      throw new UsageError(`no variant named "${wanted}" in ${scenario.name} (did you mean "${closest(wanted, names)}"?); variants: ${names.join(', ')}`);
    }
  }
  const chosen = options.variants && options.variants.length > 0 ? expanded.filter((v) => options.variants!.includes(v.name)) : expanded;
  const repeat = options.repeat ?? scenario.repeat;
  const variants: VariantPlan[] = chosen.map((variant) => {
    const declared = variant.declared ? scenario.variants?.[variant.declared] : undefined;
    const vhost = variant.body.host?.virtualHost;
    const expectations = { ...(scenario.expect?.['*'] ?? {}), ...(scenario.expect?.[variant.name] ?? {}) };
    return {
      name: variant.name,
      description: declared?.description ?? null,
      matrix: variant.matrix,
      timeoutMs: parseDuration(variant.body.timeout),
      hungAfterMs: parseDuration(scenario.hungAfter),
      until: scenario.until,
      virtualHost: vhost
        ? {
            memoryBytes: parseSize(vhost.memory),
            memorySwapBytes: vhost.memorySwap === undefined ? null : vhost.memorySwap === -1 ? -1 : parseSize(vhost.memorySwap),
          }
        : null,
      hostSysctls: Object.fromEntries(
        Object.entries(variant.body.host?.sysctls ?? {}).map(([name, value]) => {
          const text = String(value);
          if (!hasPlaceholders(text)) return [name, text];
          if (!options.host) throw new UsageError(`${name}: "${text}" refers to host sizes, which are not known here`);
          return [name, resolvePlaceholders(text, options.host)];
        }),
      ),
      swapBytes: variant.body.host?.swap === undefined ? null : parseSize(variant.body.host.swap),
      containers: Object.entries(variant.body.containers).map(([name, config]) => resolveContainer(name, config, options.host)),
      expect: Object.fromEntries(Object.entries(expectations).map(([name, expectation]) => [name, asList(expectation)])),
    };
  });
  const runs: RunPlan[] = [];
  for (const variant of variants) {
    for (let repeatIndex = 0; repeatIndex < repeat; repeatIndex++) runs.push({ variant, repeatIndex, ordinal: runs.length });
  }
  return { scenario: scenario.name!, description: scenario.description ?? null, engine: scenario.engine, repeat, until: scenario.until, variants, runs };
}

/** Variants whose containers could push the whole machine into OOM: no limit of their own and no stand-in host. */
export function variantsRiskingHostOom(plan: ScenarioPlan): string[] {
  return plan.variants
    .filter((variant) => !variant.virtualHost && variant.containers.some((c) => c.requested.memory === undefined && c.requested.cgroupParent === undefined))
    .map((variant) => variant.name);
}

export function variantsSettingHostSysctls(plan: ScenarioPlan): string[] {
  return plan.variants.filter((variant) => Object.keys(variant.hostSysctls).length > 0).map((variant) => variant.name);
}
