import { describe, expect, it } from 'vitest';
import { compareSettings } from './settings-diff.ts';

const v1 = { cgroupVersion: 1 as const, swapAccounting: true, canLowerOomScoreAdj: false };
const v2 = { cgroupVersion: 2 as const, swapAccounting: true, canLowerOomScoreAdj: true };

describe('compareSettings', () => {
  it('accepts page rounding and equal values', () => {
    expect(compareSettings({ memory: 67_108_865, oomScoreAdj: 500 }, { memory: 67_108_864, oomScoreAdj: 500 }, v1)).toEqual([]);
  });

  it('reports a refused negative oom_score_adj', () => {
    const [difference] = compareSettings({ oomScoreAdj: -500 }, { oomScoreAdj: 0 }, v1);
    expect(difference).toMatchObject({ key: 'oomScoreAdj', requested: -500, effective: 0 });
    expect(difference!.reason).toMatch(/CAP_SYS_RESOURCE/);
  });

  it('reports flags cgroup v2 discards', () => {
    const differences = compareSettings({ memorySwappiness: 0, oomKillDisable: true }, {}, v2);
    expect(differences.map((d) => [d.key, d.effective])).toEqual([
      ['memorySwappiness', null],
      ['oomKillDisable', null],
    ]);
    expect(differences[0]!.reason).toMatch(/cgroup v2/);
  });

  it('reports a swap limit without swap accounting, and kernel memory', () => {
    const differences = compareSettings({ memory: 1024 ** 2 * 64, memorySwap: 1024 ** 2 * 128, kernelMemory: 1024 ** 2 * 32 }, { memory: 1024 ** 2 * 64 }, { ...v1, swapAccounting: false });
    expect(differences.map((d) => d.key)).toEqual(['memorySwap', 'kernelMemory']);
    expect(differences[0]!.reason).toMatch(/swap accounting/);
  });
});
