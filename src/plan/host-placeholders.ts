import { parseSize } from '../units/size.ts';

/** Facts about the host that scenario arguments may refer to, so one file fits machines of any size. */
export interface HostSizes {
  memTotalBytes: number;
  swapTotalBytes: number;
}

/**
 * `{{commitLimit 50}}` is the kernel's CommitLimit under vm.overcommit_ratio=50 on this host
 * (RAM × 50% + swap), in bytes; `{{memTotal 25}}` is 25% of RAM; `{{memTotalKb 5}}` is 5% of RAM in kB
 * (as vm.min_free_kbytes takes it). Each may add or subtract a size: `{{commitLimit 50 + 1g}}`.
 */
const PLACEHOLDER = /\{\{\s*(\w+)\s+(\d+(?:\.\d+)?)\s*(?:([+-])\s*([^\s}]+))?\s*\}\}/g;
const ANY_PLACEHOLDER = /\{\{[^}]*\}\}/g;
const FUNCTIONS = ['commitLimit', 'memTotal', 'memTotalKb'];

export function findPlaceholderProblem(text: string): string | null {
  for (const match of text.matchAll(ANY_PLACEHOLDER)) {
    const parsed = new RegExp(PLACEHOLDER.source).exec(match[0]);
    if (!parsed || !FUNCTIONS.includes(parsed[1]!)) {
      return `cannot read ${match[0]}: use {{commitLimit RATIO}}, {{memTotal PERCENT}} or {{memTotalKb PERCENT}}, optionally with + or - a size`;
    }
    if (parsed[4]) {
      try {
        parseSize(parsed[4]);
      } catch (error) {
        return (error as Error).message;
      }
    }
  }
  return null;
}

export function hasPlaceholders(text: string): boolean {
  return new RegExp(ANY_PLACEHOLDER.source).test(text);
}

/** Replaces every placeholder with bytes. Pure. */
export function resolvePlaceholders(text: string, host: HostSizes): string {
  return text.replace(PLACEHOLDER, (_match, fn: string, amount: string, sign?: string, size?: string) => {
    const fraction = Number(amount) / 100;
    const base = fn === 'commitLimit' ? Math.floor(host.memTotalBytes * fraction) + host.swapTotalBytes : Math.floor(host.memTotalBytes * fraction);
    const delta = size ? parseSize(size) * (sign === '-' ? -1 : 1) : 0;
    return String(fn === 'memTotalKb' ? Math.floor((base + delta) / 1024) : base + delta);
  });
}
