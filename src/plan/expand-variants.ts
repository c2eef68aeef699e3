import type { ContainerConfig, HostConfig, Scenario } from '../scenario/schema.ts';

/** The part of a scenario that variants and the matrix may change. */
export interface VariantBody {
  timeout: string | number;
  host: HostConfig | undefined;
  containers: Record<string, ContainerConfig>;
}

/** One variant after deep merge and matrix expansion, before units are resolved. */
export interface ExpandedVariant {
  name: string;
  /** The declared variant this came from, or null when the scenario declares none. */
  declared: string | null;
  /** Matrix assignments (dotted path → value) that produced this variant. */
  matrix: Record<string, string | number | boolean>;
  body: VariantBody;
}

export const DEFAULT_VARIANT = 'default';

type Plain = Record<string, unknown>;

function isPlainObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; arrays and scalars in the override replace the base. */
export function deepMerge<T>(base: T, override: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(override)) return (override === undefined ? base : override) as T;
  const merged: Plain = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    merged[key] = key in merged ? deepMerge(merged[key], value) : value;
  }
  return merged as T;
}

export function setPath<T>(target: T, dottedPath: string, value: unknown): T {
  const [head, ...rest] = dottedPath.split('.');
  const object: Plain = isPlainObject(target) ? { ...target } : {};
  object[head!] = rest.length === 0 ? value : setPath(object[head!], rest.join('.'), value);
  return object as T;
}

/** `containers.app.memory` reads better as `app.memory` in a variant name. */
export function matrixLabel(dottedPath: string): string {
  return dottedPath.startsWith('containers.') ? dottedPath.slice('containers.'.length) : dottedPath;
}

function cartesian(matrix: Record<string, Array<string | number | boolean>>): Array<Record<string, string | number | boolean>> {
  let combos: Array<Record<string, string | number | boolean>> = [{}];
  for (const [path, values] of Object.entries(matrix)) {
    combos = combos.flatMap((combo) => values.map((value) => ({ ...combo, [path]: value })));
  }
  return combos;
}

/** Declared variants × matrix combinations, each with its fully merged body. */
export function expandVariants(scenario: Scenario): ExpandedVariant[] {
  const base: VariantBody = { timeout: scenario.timeout, host: scenario.host, containers: scenario.containers };
  const declared = Object.entries(scenario.variants ?? {});
  const starts = declared.length > 0 ? declared : [[null, {}] as const];
  const combos = scenario.matrix && Object.keys(scenario.matrix).length > 0 ? cartesian(scenario.matrix) : [{}];
  const variants: ExpandedVariant[] = [];
  for (const [declaredName, override] of starts) {
    const { description: _description, ...overrideBody } = override as Plain;
    const merged = deepMerge(base, overrideBody);
    for (const combo of combos) {
      let body = merged;
      for (const [path, value] of Object.entries(combo)) body = setPath(body, path, value);
      const assignment = Object.entries(combo)
        .map(([path, value]) => `${matrixLabel(path)}=${value}`)
        .join(',');
      const name = [declaredName, assignment].filter(Boolean).join(',') || DEFAULT_VARIANT;
      variants.push({ name, declared: declaredName, matrix: combo, body });
    }
  }
  return variants;
}
