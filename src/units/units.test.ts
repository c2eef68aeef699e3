import { describe, expect, it } from 'vitest';
import { parseSize, formatBytes } from './size.ts';
import { parseDuration } from './duration.ts';

describe('parseSize', () => {
  it.each([
    ['64m', 64 * 1024 ** 2],
    ['1g', 1024 ** 3],
    ['512M', 512 * 1024 ** 2],
    ['64MiB', 64 * 1024 ** 2],
    ['1.5g', 1.5 * 1024 ** 3],
    ['100', 100],
    ['4k', 4096],
    [300, 300],
  ])('%s is %d bytes', (input, bytes) => {
    expect(parseSize(input)).toBe(bytes);
  });
  it('rejects words', () => {
    expect(() => parseSize('lots')).toThrow(/not a size/);
  });
  it('formats', () => {
    expect(formatBytes(200 * 1024 ** 2)).toBe('200 MiB');
  });
});

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1.5s', 1500],
    [250, 250],
  ])('%s is %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });
  it('rejects a bare string number without unit', () => {
    expect(() => parseDuration('30')).toThrow(/not a duration/);
  });
});
