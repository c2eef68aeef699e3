import type { Outcome } from '../outcome/outcomes.ts';
import type { Scenario } from '../scenario/schema.ts';
import { deepMerge } from '../plan/expand-variants.ts';
import { UsageError } from '../errors/errors.ts';

/** What `oomlab tune` searches. */
export interface TuneOptions {
  container: string;
  /** A container setting (memory, memorySwap, memoryReservation, pidsLimit, cpus, oomScoreAdj) or `arg:PREFIX`. */
  param: string;
  range: { low: number; high: number };
  target: Outcome;
  repeat: number;
  /** min: the smallest value at which every repeat meets the target (a limit); max: the largest (a heap size). */
  find: 'min' | 'max';
  /** Stop when the boundary is known to within this much. */
  precision: number;
  /** Declared variant to start from; its overrides are applied first. */
  variant?: string;
}

export interface TuneProbe {
  value: number;
  outcomes: Outcome[];
  met: boolean;
  runDir: string;
}

export interface TuneResult {
  /** The best value found that meets the target (smallest for min, largest for max), or null. */
  boundary: number | null;
  /** The nearest value that did not. */
  nearestFailing: number | null;
  probes: TuneProbe[];
}

const CONTAINER_PARAMS = ['memory', 'memorySwap', 'memoryReservation', 'pidsLimit', 'cpus', 'oomScoreAdj'];

/** Arguments take sizes in KiB, which hog, the JVM (-Xmx) and Docker's suffixes all read. */
function formatArgValue(value: number): string {
  return `${Math.floor(value / 1024)}k`;
}

/** The scenario with one value of the searched parameter: one variant, no expectations. Pure. */
export function scenarioForValue(scenario: Scenario, options: TuneOptions, value: number): Scenario {
  const declared = options.variant ? scenario.variants?.[options.variant] : undefined;
  if (options.variant && !declared) throw new UsageError(`no variant "${options.variant}" in ${scenario.name}`);
  const { description: _d, ...override } = declared ?? {};
  const base = deepMerge({ timeout: scenario.timeout, host: scenario.host, containers: scenario.containers }, override);
  const container = base.containers[options.container];
  if (!container) throw new UsageError(`no container "${options.container}" in ${scenario.name}; containers: ${Object.keys(base.containers).join(', ')}`);
  let changed = { ...container };
  if (CONTAINER_PARAMS.includes(options.param)) {
    changed = { ...changed, [options.param]: value };
    // A memory limit whose swap limit matched it keeps meaning "no swap".
    if (options.param === 'memory' && container.memorySwap !== undefined && container.memorySwap === container.memory) changed.memorySwap = value;
  } else if (options.param.startsWith('arg:')) {
    const prefix = options.param.slice(4);
    const args = (container.args ?? []).map(String);
    const at = args.findIndex((arg) => arg === prefix || arg.startsWith(prefix));
    if (at < 0 || (args[at] === prefix && at + 1 >= args.length)) throw new UsageError(`${options.container} has no argument ${prefix} to tune`);
    if (args[at] === prefix) args[at + 1] = formatArgValue(value);
    else args[at] = `${prefix}${formatArgValue(value)}`;
    changed.args = args;
  } else {
    throw new UsageError(`cannot tune "${options.param}": use one of ${CONTAINER_PARAMS.join(', ')}, or arg:PREFIX (e.g. arg:-Xmx, arg:--alloc)`);
  }
  return {
    ...scenario,
    timeout: base.timeout,
    host: base.host,
    containers: { ...base.containers, [options.container]: changed },
    variants: undefined,
    matrix: undefined,
    expect: undefined,
    repeat: options.repeat,
  };
}

/**
 * Bisects for the boundary, probing with `probe` (which runs the scenario for one value). Assumes the outcome
 * is monotone in the value: more memory survives (min), or a smaller heap survives (max).
 */
export async function tune(options: TuneOptions, probe: (value: number) => Promise<TuneProbe>): Promise<TuneResult> {
  const probes: TuneProbe[] = [];
  const run = async (value: number) => {
    const result = await probe(value);
    probes.push(result);
    return result.met;
  };
  const { low, high } = options.range;
  // `good` is the end where the target is met, `bad` where it is not.
  const goodEnd = options.find === 'min' ? high : low;
  const badEnd = options.find === 'min' ? low : high;
  if (!(await run(goodEnd))) return { boundary: null, nearestFailing: goodEnd, probes };
  if (await run(badEnd)) return { boundary: badEnd, nearestFailing: null, probes };
  let good = goodEnd;
  let bad = badEnd;
  while (Math.abs(good - bad) > options.precision) {
    const middle = Math.round((good + bad) / 2);
    if (await run(middle)) good = middle;
    else bad = middle;
  }
  return { boundary: good, nearestFailing: bad, probes };
}

/** The boundary with a safety margin, away from the failing side. */
export function recommend(result: TuneResult, find: 'min' | 'max', marginPercent: number): number | null {
  if (result.boundary === null) return null;
  return Math.round(result.boundary * (find === 'min' ? 1 + marginPercent / 100 : 1 - marginPercent / 100));
}
