import { describe, expect, it } from 'vitest';
import { parseInteger, parseKilobytes } from './parse-number.ts';

describe('parseInteger', () => {
  it('accepts whole decimal integers only', () => {
    expect(parseInteger(' 42 ')).toBe(42);
    expect(parseInteger('-1000')).toBe(-1000);
    expect(parseInteger('1.5')).toBeNull();
    expect(parseInteger('0x10')).toBeNull();
    expect(parseInteger('')).toBeNull();
    expect(parseInteger(undefined)).toBeNull();
    expect(parseInteger('99999999999999999999')).toBeNull();
  });
});

describe('parseKilobytes', () => {
  it('strips an optional kB unit', () => {
    expect(parseKilobytes('65536kB')).toBe(65536);
    expect(parseKilobytes('12')).toBe(12);
    expect(parseKilobytes('12MB')).toBeNull();
  });
});
