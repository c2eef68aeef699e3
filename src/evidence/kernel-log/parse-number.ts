const INTEGER = /^[+-]?\d+$/;

/** Whole-string decimal integer, or null; kernel fields are never fractional, so anything else is a parse miss. */
export function parseInteger(text: string | undefined): number | null {
  if (text === undefined) return null;
  const trimmed = text.trim();
  if (!INTEGER.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) ? value : null;
}

/** `65536kB` → 65536; the unit is optional because older kernels print some sizes bare. */
export function parseKilobytes(text: string | undefined): number | null {
  if (text === undefined) return null;
  const trimmed = text.trim();
  return parseInteger(trimmed.endsWith('kB') ? trimmed.slice(0, -2) : trimmed);
}
