import { describe, expect, it } from 'vitest';
import { virtualHostLimitWrites, virtualHostName } from './virtual-host.ts';

const MiB = 1024 ** 2;

describe('virtualHostLimitWrites', () => {
  it('writes the v1 limit before memsw', () => {
    expect(virtualHostLimitWrites(1, { memoryBytes: 300 * MiB, memorySwapBytes: 300 * MiB })).toEqual([
      ['memory.limit_in_bytes', String(300 * MiB)],
      ['memory.memsw.limit_in_bytes', String(300 * MiB)],
    ]);
  });
  it('turns memory+swap into swap alone on v2', () => {
    expect(virtualHostLimitWrites(2, { memoryBytes: 300 * MiB, memorySwapBytes: 400 * MiB })).toEqual([
      ['memory.max', String(300 * MiB)],
      ['memory.swap.max', String(100 * MiB)],
    ]);
    expect(virtualHostLimitWrites(2, { memoryBytes: 300 * MiB, memorySwapBytes: -1 })[1]).toEqual(['memory.swap.max', 'max']);
  });
  it('names hosts after their owner', () => {
    expect(virtualHostName(42, 'r1', 3)).toBe('vh-42-r1-3');
  });
});
