import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'zod';
import { ScenarioError, type Problem } from '../errors/errors.ts';
import { ContainerSchema, HostSchema, ScenarioSchema, type Scenario } from './schema.ts';
import { expandVariants } from '../plan/expand-variants.ts';
import { WORKLOADS } from '../workload/catalog.ts';
import { parseSize } from '../units/size.ts';
import { SETTABLE_SYSCTLS } from '../host/host-knobs.ts';
import { findPlaceholderProblem } from '../plan/host-placeholders.ts';

type PathKey = string | number;

/** Where in the YAML a path points, so every problem reads `file:line:col path: message`. */
class SourceMap {
  constructor(
    private readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Problem located at the first of `paths` that exists in the document (else the closest existing ancestor). */
  problem(paths: PathKey[][], message: string, reportPath?: PathKey[], at: 'key' | 'value' = 'key'): Problem {
    const chosen = paths.find((path) => this.doc.hasIn(path)) ?? paths[0]!;
    const valueNode = at === 'value' ? (this.doc.getIn(chosen, true) as { range?: [number, number, number] } | undefined) : undefined;
    const offset = valueNode?.range ? valueNode.range[0] : this.offsetOf(chosen);
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, col, path: formatPath(reportPath ?? chosen), message };
  }

  /** Offset of the key when the path names a map entry, else of the value; walks up to an existing ancestor. */
  private offsetOf(path: PathKey[]): number {
    for (let depth = path.length; depth > 0; depth--) {
      const parent = depth === 1 ? this.doc.contents : this.doc.getIn(path.slice(0, depth - 1), true);
      const key = path[depth - 1];
      if (isMap(parent)) {
        const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(key));
        const keyNode = pair && isPair(pair) ? (pair.key as { range?: [number, number, number] }) : undefined;
        if (keyNode?.range) return keyNode.range[0];
      }
      const node = this.doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return node.range[0];
    }
    return (this.doc.contents as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
  }
}

export function formatPath(path: readonly PathKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`)).join('');
}

/** Known keys of the object schema that `path` leads to, for did-you-mean. */
function knownKeysAt(schema: z.ZodType, path: readonly PathKey[]): string[] {
  let current: unknown = schema;
  const unwrap = (node: unknown): unknown => {
    let value = node as { _zod?: { def: Record<string, unknown> } };
    for (;;) {
      const def = value?._zod?.def;
      if (!def) return value;
      if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') value = def.innerType as typeof value;
      else return value;
    }
  };
  for (const key of path) {
    const def = (unwrap(current) as { _zod: { def: Record<string, unknown> } })._zod.def;
    if (def.type === 'object') current = (def.shape as Record<string, unknown>)[String(key)];
    else if (def.type === 'record') current = def.valueType;
    else if (def.type === 'array') current = def.element;
    else return [];
    if (!current) return [];
  }
  const def = (unwrap(current) as { _zod?: { def: Record<string, unknown> } })?._zod?.def;
  return def?.type === 'object' ? Object.keys(def.shape as object) : [];
}

function didYouMean(word: string, candidates: readonly string[]): string {
  if (candidates.length === 0) return '';
  const best = closest(word, candidates as string[]);
  return distance(word.toLowerCase(), best.toLowerCase()) <= Math.max(2, Math.floor(best.length / 3)) ? `; did you mean "${best}"?` : '';
}

function zodProblems(issues: z.core.$ZodIssue[], source: SourceMap, schema: z.ZodType, prefix: PathKey[] = []): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...(issue.path as PathKey[])];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // The branch whose type matched the input says the most; a type mismatch in every branch says "Invalid input".
      const typed = issue.errors.find((branch) => branch.length > 0 && branch.every((inner) => inner.code !== 'invalid_type'));
      if (typed) {
        problems.push(...zodProblems(typed, source, schema, path));
        continue;
      }
    }
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, issue.path as PathKey[]);
      for (const key of issue.keys) {
        problems.push(source.problem([[...path, key]], `unknown key "${key}"${didYouMean(key, known)}`));
      }
    } else if (issue.code === 'invalid_value' && typeof issue.input === 'string') {
      const options = issue.values.filter((v): v is string => typeof v === 'string');
      problems.push(source.problem([path], `"${issue.input}" is not one of ${options.join(', ')}${didYouMean(issue.input, options)}`, undefined, 'value'));
    } else {
      problems.push(source.problem([path], issue.message, undefined, 'value'));
    }
  }
  return problems;
}

/** Rules that span fields, checked on every variant after merging. */
function crossFieldProblems(scenario: Scenario, source: SourceMap): Problem[] {
  const problems: Problem[] = [];
  const baseNames = Object.keys(scenario.containers);
  for (const [variantName, variant] of Object.entries(scenario.variants ?? {})) {
    for (const [containerName, override] of Object.entries(variant.containers ?? {})) {
      // A variant may add a whole container (one with a workload); anything else must name an existing one.
      if (!baseNames.includes(containerName) && override.workload === undefined) {
        problems.push(
          source.problem(
            [['variants', variantName, 'containers', containerName]],
            `variant overrides container "${containerName}", which is not in containers${didYouMean(containerName, baseNames)} (to add a container here, give it a workload)`,
          ),
        );
      }
    }
  }
  if (problems.length > 0) return problems;

  const variants = expandVariants(scenario);
  const seen = new Set<string>();
  for (const variant of variants) {
    const matrixPaths = Object.keys(variant.matrix).map((path) => ['matrix', path]);
    const where = (container: string, key: string): PathKey[][] => [
      ...(variant.declared ? [['variants', variant.declared, 'containers', container, key]] : []),
      ...Object.keys(variant.matrix)
        .filter((path) => path === `containers.${container}.${key}`)
        .map((path) => ['matrix', path]),
      ['containers', container, key],
    ];
    const hostWhere = (key: string): PathKey[][] => [...(variant.declared ? [['variants', variant.declared, 'host', key]] : []), ['host', key], ...matrixPaths];
    for (const [name, value] of Object.entries(variant.body.host?.sysctls ?? {})) {
      const message =
        findPlaceholderProblem(String(value)) ??
        name === 'vm.panic_on_oom'
          ? 'vm.panic_on_oom is refused outright: a panic takes the whole machine down'
          : (SETTABLE_SYSCTLS as readonly string[]).includes(name)
            ? null
            : `${name} is not a host knob oomlab sets${didYouMean(name, SETTABLE_SYSCTLS)}; settable: ${SETTABLE_SYSCTLS.join(', ')}`;
      if (message) {
        const problem = source.problem(hostWhere('sysctls'), message);
        const id = `${problem.line}:${problem.col}:${message}`;
        if (!seen.has(id)) {
          seen.add(id);
          problems.push(problem);
        }
      }
    }
    const hostCheck = HostSchema.optional().safeParse(variant.body.host, { reportInput: true });
    if (!hostCheck.success) problems.push(...zodProblems(hostCheck.error.issues, source, HostSchema, matrixPaths[0] ?? ['host']).map((p) => ({ ...p, message: `${p.message} (variant ${variant.name})` })));
    for (const [name, container] of Object.entries(variant.body.containers)) {
      const checked = ContainerSchema.safeParse(container, { reportInput: true });
      if (!checked.success) {
        for (const issue of checked.error.issues) {
          const key = String(issue.path[0] ?? '');
          const found = source.problem([...where(name, key), ...matrixPaths], `${issue.message} (variant ${variant.name})`, ['containers', name, ...(issue.path as PathKey[])]);
          problems.push(found);
        }
        continue;
      }
      const say = (key: string, message: string) => {
        const problem = source.problem(where(name, key), message);
        const id = `${problem.line}:${problem.col}:${message}`;
        if (!seen.has(id)) {
          seen.add(id);
          problems.push(problem);
        }
      };
      if (!Object.hasOwn(WORKLOADS, container.workload)) {
        say('workload', `unknown workload "${container.workload}"${didYouMean(container.workload, Object.keys(WORKLOADS))}; known: ${Object.keys(WORKLOADS).join(', ')}`);
      }
      if (container.load && !WORKLOADS[container.workload]?.service) {
        say('load', `workload "${container.workload}" is not a service; a load phase needs one (${Object.values(WORKLOADS).filter((w) => w.service).map((w) => w.name).join(', ')})`);
      }
      if (container.workload === 'image' && !container.image) say('workload', 'workload: image needs an image');
      if (container.image && container.workload !== 'image') say('image', `image is for workload: image; workload "${container.workload}" brings its own`);
      const memory = container.memory === undefined ? undefined : parseSize(container.memory);
      if (container.memorySwap !== undefined && memory === undefined) say('memorySwap', 'memorySwap needs memory (as with docker run --memory-swap)');
      if (container.memorySwap !== undefined && container.memorySwap !== -1 && memory !== undefined && parseSize(container.memorySwap) < memory) {
        say('memorySwap', 'memorySwap is memory + swap, so it cannot be smaller than memory');
      }
      if (container.memoryReservation !== undefined && memory !== undefined && parseSize(container.memoryReservation) > memory) {
        say('memoryReservation', 'memoryReservation must not exceed memory');
      }
      if (memory !== undefined && memory < 6 * 1024 * 1024) say('memory', 'Docker refuses a memory limit below 6m');
      for (const arg of [...(container.args ?? []), ...(typeof container.command === 'string' ? [container.command] : (container.command ?? []))]) {
        const placeholderProblem = findPlaceholderProblem(String(arg));
        if (placeholderProblem) say(container.args?.includes(arg) ? 'args' : 'command', placeholderProblem);
      }
      for (const key of Object.keys(container.sysctls ?? {})) {
        if (key.startsWith('vm.')) say('sysctls', `${key} is kernel-global, not namespaced: a container cannot set it (host sysctls come with host.sysctls)`);
      }
    }
  }

  const variantNames = variants.map((variant) => variant.name);
  for (const [variantName, perContainer] of Object.entries(scenario.expect ?? {})) {
    if (variantName !== '*' && !variantNames.includes(variantName)) {
      problems.push(source.problem([['expect', variantName]], `no variant named "${variantName}"${didYouMean(variantName, variantNames)}; variants: ${variantNames.join(', ')}`));
      continue;
    }
    const namesInVariant = variantName === '*' ? baseNames : Object.keys(variants.find((v) => v.name === variantName)!.body.containers);
    for (const containerName of Object.keys(perContainer)) {
      if (!namesInVariant.includes(containerName)) {
        problems.push(source.problem([['expect', variantName, containerName]], `no container named "${containerName}"${didYouMean(containerName, namesInVariant)}`));
      }
    }
  }
  return problems;
}

function byPosition(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.col - b.col);
}

/**
 * Parses and validates a scenario file's text. Throws ScenarioError with every problem found,
 * each located in the file. Pure: the caller reads the file.
 */
/** Turns a scenario's `compose:` section into containers and a stand-in host (reads the compose file). */
export type ComposeResolver = (compose: NonNullable<Scenario['compose']>) => { containers: Scenario['containers']; host: NonNullable<Scenario['host']> };

export function parseScenario(text: string, file: string, defaultName: string, resolveCompose?: ComposeResolver): Scenario {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const source = new SourceMap(file, doc, lines);
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      doc.errors.map((error) => {
        const { line, col } = lines.linePos(error.pos[0]);
        return { file, line, col, path: '(yaml)', message: error.message.split('\n')[0]! };
      }),
    );
  }
  const raw = doc.toJS({ maxAliasCount: 100 }) ?? {};
  const parsed = ScenarioSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new ScenarioError(byPosition(zodProblems(parsed.error.issues, source, ScenarioSchema)));
  let scenario: Scenario = { ...parsed.data, name: parsed.data.name ?? defaultName };
  if (scenario.compose) {
    if (!resolveCompose) throw new ScenarioError([source.problem([['compose']], 'compose: is not supported here')]);
    let fromCompose: ReturnType<ComposeResolver>;
    try {
      fromCompose = resolveCompose(scenario.compose);
    } catch (error) {
      throw new ScenarioError([source.problem([['compose', 'file']], (error as Error).message, undefined, 'value')]);
    }
    scenario = {
      ...scenario,
      containers: { ...fromCompose.containers, ...scenario.containers },
      host: { ...fromCompose.host, ...scenario.host },
      // A stack of services runs until something is killed, unless the file says otherwise.
      until: (raw as { until?: Scenario['until'] }).until ?? 'first-kill',
    };
  }
  if (Object.keys(scenario.containers).length === 0) {
    throw new ScenarioError([source.problem([['containers']], 'a scenario needs containers, or a compose file that gives them')]);
  }
  const problems = crossFieldProblems(scenario, source);
  if (problems.length > 0) throw new ScenarioError(byPosition(problems));
  return scenario;
}
