import { describe, expect, it } from 'vitest';
import { mapHostSample, parseWatermarks, summarizeHostSamples } from './host-sample.ts';

const meminfo = (free: number, committed: number) => `MemTotal: 24000000 kB\nMemFree: ${free} kB\nMemAvailable: ${free + 1000} kB\nSwapTotal: 1048576 kB\nSwapFree: 1000000 kB\nCommitLimit: 12000000 kB\nCommitted_AS: ${committed} kB\n`;
const vmstat = (scan: number) => `nr_free_pages 100\npgscan_kswapd ${scan}\npgscan_direct 5\npgsteal_kswapd 7\nallocstall_normal 1\nallocstall_movable 2\noom_kill 3\n`;

describe('host samples', () => {
  it('reads meminfo, vmstat and PSI', () => {
    const sample = mapHostSample('t', meminfo(1000, 2000), vmstat(10), 'some avg10=1.50 avg60=0.00 avg300=0.00 total=10\nfull avg10=0.25 avg60=0.00 avg300=0.00 total=5\n');
    expect(sample).toMatchObject({ memFreeBytes: 1000 * 1024, commitLimitBytes: 12000000 * 1024, committedAsBytes: 2000 * 1024, pgscan: 15, pgsteal: 7, allocstall: 3, oomKill: 3, pressureSomeAvg10: 1.5, pressureFullAvg10: 0.25 });
  });

  it('summarizes a run as floors, peaks and counter deltas', () => {
    const samples = [mapHostSample('a', meminfo(5000, 100), vmstat(10), undefined), mapHostSample('b', meminfo(3000, 900), vmstat(40), undefined)];
    const summary = summarizeHostSamples(samples, null);
    expect(summary).toMatchObject({ samples: 2, committedAsStartBytes: 100 * 1024, committedAsMaxBytes: 900 * 1024, memFreeMinBytes: 3000 * 1024, pgscan: 30, oomKills: 0, swapUsedMaxBytes: 48576 * 1024 });
  });

  it('sums zone watermarks', () => {
    const zoneinfo = 'Node 0, zone      DMA\n  pages free     3840\n        min      10\n        low      12\n        high     14\nNode 0, zone   Normal\n        min      100\n        low      120\n        high     140\n';
    expect(parseWatermarks(zoneinfo)).toEqual({ minBytes: 110 * 4096, lowBytes: 132 * 4096, highBytes: 154 * 4096 });
  });
});
