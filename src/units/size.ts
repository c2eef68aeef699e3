/**
 * Sizes as `docker run` writes them: a number with an optional binary suffix (b, k, m, g, t, p),
 * optionally followed by `i` and/or `b` ("64m", "64MiB", "1.5g"). A bare number is bytes.
 */
export const SIZE_PATTERN = '^\\d+(\\.\\d+)?\\s?([bBkKmMgGtTpP])?[iI]?[bB]?$';
const SIZE_RE = new RegExp(SIZE_PATTERN);

const MULTIPLIER: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

export function parseSize(value: string | number): number {
  if (typeof value === 'number') return value;
  const trimmed = value.trim();
  if (!SIZE_RE.test(trimmed)) throw new Error(`not a size: ${JSON.stringify(value)} (use bytes or a suffix such as 64m, 1g)`);
  const match = /^(\d+(?:\.\d+)?)\s?([a-zA-Z])?/.exec(trimmed)!;
  const unit = (match[2] ?? 'b').toLowerCase();
  return Math.floor(Number(match[1]) * (MULTIPLIER[unit] ?? 1));
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}
