/** Durations as scenario files write them: "500ms", "30s", "2m", "1h"; a bare number is milliseconds. */
export const DURATION_PATTERN = '^\\d+(\\.\\d+)?(ms|s|m|h)$';
const DURATION_RE = new RegExp(DURATION_PATTERN);

const MS_PER_UNIT: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDuration(value: string | number): number {
  if (typeof value === 'number') return value;
  const match = DURATION_RE.exec(value.trim());
  if (!match) throw new Error(`not a duration: ${JSON.stringify(value)} (use e.g. 500ms, 30s, 2m)`);
  const amount = Number(value.trim().slice(0, value.trim().length - match[2]!.length));
  return Math.round(amount * MS_PER_UNIT[match[2]!]!);
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} m ${Math.round((ms % 60_000) / 1000)} s`;
}
