import { parse as parseYaml } from 'yaml';
import { parse as parseShell } from 'shell-quote';
import type { ScenarioFile } from '../scenario/schema.ts';
import { parseSize, formatBytes } from '../units/size.ts';

/** How the harness adds memory pressure to a compose stack. */
export type Pressure = { kind: 'hog'; bytes: number } | { kind: 'service'; service: string };

export interface ComposeOptions {
  /** The compose file's name, for the scenario's name and messages. */
  file: string;
  pressure: Pressure;
  /** The stand-in host's memory; defaults to the sum of the services' limits (1 GiB where none is set). */
  hostMemoryBytes?: number;
  /** Where `environment: [KEY]` without a value takes KEY from, as docker compose does (the caller's environment). */
  hostEnvironment?: Record<string, string | undefined>;
}

export interface ComposeScenario {
  scenario: ScenarioFile;
  /** One line per compose field the harness does not apply. */
  warnings: string[];
}

type Plain = Record<string, unknown>;

const TOP_LEVEL_USED = new Set(['services', 'version', 'name']);
/** Service fields that carry no memory meaning and that the harness leaves out, without noise. */
const SERVICE_USED = new Set([
  'image',
  'command',
  'environment',
  'mem_limit',
  'memswap_limit',
  'mem_reservation',
  'mem_swappiness',
  'oom_kill_disable',
  'oom_score_adj',
  'cpus',
  'pids_limit',
  'cgroup_parent',
  'sysctls',
  'network_mode',
  'deploy',
  'container_name',
]);
const DEPLOY_RESOURCES_USED = new Set(['limits', 'reservations']);

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sizeOf(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'number' ? value : parseSize(String(value));
}

function commandOf(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(String);
  // Compose splits a string command the way a shell would, without running a shell.
  return parseShell(String(value)).map((part) => (typeof part === 'string' ? part : 'op' in part ? part.op : String(part)));
}

function environmentOf(value: unknown, hostEnvironment: Record<string, string | undefined>): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) {
    return Object.fromEntries(
      value.map(String).map((entry) => {
        const index = entry.indexOf('=');
        return index < 0 ? [entry, hostEnvironment[entry] ?? ''] : [entry.slice(0, index), entry.slice(index + 1)];
      }),
    );
  }
  if (isPlain(value)) return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, v === null ? (hostEnvironment[key] ?? '') : String(v)]));
  return undefined;
}

/**
 * A docker-compose file as an oomlab scenario: each service a container with its memory settings mapped
 * faithfully (compose file version 2 keys and the Compose Specification's deploy.resources), all under a
 * stand-in host, plus a memory-pressure neighbour, so the run shows whom the kernel kills first. Pure.
 */
export function composeToScenario(text: string, options: ComposeOptions): ComposeScenario {
  const compose = parseYaml(text) as unknown;
  if (!isPlain(compose) || !isPlain(compose.services)) throw new Error(`${options.file}: no services`);
  const warnings: string[] = [];
  for (const key of Object.keys(compose)) if (!TOP_LEVEL_USED.has(key)) warnings.push(`${key}: ignored (top-level ${key} do not change memory behaviour here)`);

  const containers: Record<string, Plain> = {};
  let limitsTotal = 0;
  let unlimited = 0;
  for (const [service, raw] of Object.entries(compose.services)) {
    if (!isPlain(raw)) continue;
    const name = service.replace(/[^a-zA-Z0-9_.-]/g, '-');
    for (const key of Object.keys(raw)) if (!SERVICE_USED.has(key)) warnings.push(`services.${service}.${key}: ignored`);
    if (typeof raw.image !== 'string') {
      warnings.push(`services.${service}: no image (a build: section is not built here); the service is left out`);
      continue;
    }
    const deploy = isPlain(raw.deploy) ? raw.deploy : {};
    for (const key of Object.keys(deploy)) if (key !== 'resources') warnings.push(`services.${service}.deploy.${key}: ignored`);
    const resources = isPlain(deploy.resources) ? deploy.resources : {};
    for (const key of Object.keys(resources)) if (!DEPLOY_RESOURCES_USED.has(key)) warnings.push(`services.${service}.deploy.resources.${key}: ignored`);
    const limits = isPlain(resources.limits) ? resources.limits : {};
    const reservations = isPlain(resources.reservations) ? resources.reservations : {};
    for (const key of Object.keys(limits)) if (!['memory', 'cpus', 'pids'].includes(key)) warnings.push(`services.${service}.deploy.resources.limits.${key}: ignored`);
    for (const key of Object.keys(reservations)) if (key !== 'memory') warnings.push(`services.${service}.deploy.resources.reservations.${key}: ignored`);

    const memory = sizeOf(raw.mem_limit) ?? sizeOf(limits.memory);
    if (raw.mem_limit !== undefined && limits.memory !== undefined && sizeOf(raw.mem_limit) !== sizeOf(limits.memory)) {
      warnings.push(`services.${service}: mem_limit and deploy.resources.limits.memory disagree; mem_limit is used, as docker compose does`);
    }
    const container: Plain = { workload: 'image', image: raw.image };
    const command = commandOf(raw.command);
    if (command) container.command = command;
    const env = environmentOf(raw.environment, options.hostEnvironment ?? {});
    if (env) container.env = env;
    if (memory !== undefined) container.memory = memory;
    const memorySwap = raw.memswap_limit === -1 || raw.memswap_limit === '-1' ? -1 : sizeOf(raw.memswap_limit);
    if (memorySwap !== undefined) container.memorySwap = memorySwap;
    const reservation = sizeOf(raw.mem_reservation) ?? sizeOf(reservations.memory);
    if (reservation !== undefined) container.memoryReservation = reservation;
    if (raw.mem_swappiness !== undefined) container.memorySwappiness = Number(raw.mem_swappiness);
    if (raw.oom_kill_disable !== undefined) container.oomKillDisable = Boolean(raw.oom_kill_disable);
    if (raw.oom_score_adj !== undefined) container.oomScoreAdj = Number(raw.oom_score_adj);
    const cpus = raw.cpus ?? limits.cpus;
    if (cpus !== undefined) container.cpus = Number(cpus);
    const pids = raw.pids_limit ?? limits.pids;
    if (pids !== undefined) container.pidsLimit = Number(pids);
    if (typeof raw.cgroup_parent === 'string') warnings.push(`services.${service}.cgroup_parent: replaced by the stand-in host`);
    if (isPlain(raw.sysctls)) container.sysctls = raw.sysctls;
    if (raw.network_mode === 'none' || raw.network_mode === 'host' || raw.network_mode === 'bridge') container.network = raw.network_mode;
    else if (raw.network_mode !== undefined) warnings.push(`services.${service}.network_mode: ${String(raw.network_mode)} is not supported; bridge is used`);
    if (memory === undefined) unlimited++;
    else limitsTotal += memory;
    containers[name] = container;
  }
  if (Object.keys(containers).length === 0) throw new Error(`${options.file}: no service with an image`);

  if (options.pressure.kind === 'service' && !containers[options.pressure.service]) {
    throw new Error(`--pressure ${options.pressure.service}: no such service (services: ${Object.keys(containers).join(', ')})`);
  }
  const hostMemory = options.hostMemoryBytes ?? (limitsTotal > 0 ? limitsTotal + unlimited * 256 * 1024 ** 2 : 1024 ** 3);
  if (options.pressure.kind === 'hog') {
    containers.pressure = {
      workload: 'hog',
      args: ['--label', 'pressure', '--delay', '2s', '--alloc', String(options.pressure.bytes), '--step', '4m', '--rate', '64m', '--hold', '60s'],
    };
  }
  const base = options.file.split('/').pop()!.replace(/\.ya?ml$/, '');
  const dir = options.file.split('/').slice(-2, -1)[0] ?? 'compose';
  return {
    scenario: {
      name: `compose-${dir}-${base}`.toLowerCase().replace(/[^a-z0-9._-]/g, '-'),
      description: `${options.file} on a ${formatBytes(hostMemory)} stand-in host, with ${options.pressure.kind === 'hog' ? `a hog growing to ${formatBytes(options.pressure.bytes)} as pressure` : `${options.pressure.service} as the pressure`}: whom does the kernel kill first?`,
      timeout: '120s',
      until: 'first-kill',
      host: { virtualHost: { memory: hostMemory } },
      containers: containers as ScenarioFile['containers'],
    },
    warnings,
  };
}

export function parsePressure(text: string): Pressure {
  const match = /^hog:(.+)$/.exec(text);
  return match ? { kind: 'hog', bytes: parseSize(match[1]!) } : { kind: 'service', service: text };
}
