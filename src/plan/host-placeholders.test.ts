import { describe, expect, it } from 'vitest';
import { findPlaceholderProblem, resolvePlaceholders } from './host-placeholders.ts';

const GiB = 1024 ** 3;
const host = { memTotalBytes: 24 * GiB, swapTotalBytes: 0 };

describe('host placeholders', () => {
  it('computes CommitLimit for a ratio, plus a margin', () => {
    expect(resolvePlaceholders('{{commitLimit 50 + 1g}}', host)).toBe(String(13 * GiB));
    expect(resolvePlaceholders('{{commitLimit 80}}', { ...host, swapTotalBytes: GiB })).toBe(String(Math.floor(24 * GiB * 0.8) + GiB));
    expect(resolvePlaceholders('--alloc={{memTotal 25 - 1g}}', host)).toBe(`--alloc=${5 * GiB}`);
    expect(resolvePlaceholders('{{memTotalKb 5}}', host)).toBe(String(Math.floor((24 * GiB * 0.05) / 1024)));
  });
  it('leaves plain text alone and names bad placeholders', () => {
    expect(resolvePlaceholders('200m', host)).toBe('200m');
    expect(findPlaceholderProblem('{{commitLimit 50}}')).toBeNull();
    expect(findPlaceholderProblem('{{ram 50}}')).toMatch(/use \{\{commitLimit RATIO\}\}/);
    expect(findPlaceholderProblem('{{commitLimit 50 + lots}}')).toMatch(/not a size/);
  });
});
