import { describe, expect, it } from 'vitest';
import { parseInvokerPid, parseOomHeader } from './parse-oom-header.ts';

describe('parseOomHeader', () => {
  it('reads a 6.x header', () => {
    expect(parseOomHeader('hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=500')).toEqual({
      comm: 'hog',
      pid: null,
      gfpMask: '0xcc0(GFP_KERNEL)',
      order: 0,
      oomScoreAdj: 500,
    });
  });

  it('reads older headers with nodemask or oom_adj', () => {
    expect(
      parseOomHeader('java invoked oom-killer: gfp_mask=0x14000c0(GFP_KERNEL), nodemask=0,2, order=1, oom_score_adj=-17'),
    ).toMatchObject({ comm: 'java', gfpMask: '0x14000c0(GFP_KERNEL)', order: 1, oomScoreAdj: -17 });
    expect(parseOomHeader('sh invoked oom-killer: gfp_mask=0xd0, order=0, oom_adj=0, oom_score_adj=0')).toMatchObject({
      gfpMask: '0xd0',
      oomScoreAdj: 0,
    });
  });

  it('keeps a comm with spaces', () => {
    expect(parseOomHeader('Web Content invoked oom-killer: gfp_mask=0x0, order=0, oom_score_adj=0')?.comm).toBe('Web Content');
  });

  it('rejects other lines', () => {
    expect(parseOomHeader('invoked oom-killer: gfp_mask=0x0')).toBeNull();
    expect(parseOomHeader('Memory cgroup out of memory: Killed process 1 (a)')).toBeNull();
  });
});

describe('parseInvokerPid', () => {
  it('reads 6.x and older CPU lines', () => {
    expect(parseInvokerPid('CPU: 0 UID: 0 PID: 16621 Comm: hog Not tainted 6.18.44-fc-v1252 #1 PREEMPT(none) ', 'hog')).toBe(16621);
    expect(parseInvokerPid('CPU: 3 PID: 7001 Comm: java Tainted: G        W 4.14.0 #1', 'java')).toBe(7001);
    expect(parseInvokerPid('CPU: 3 PID: 8 Comm: Web Content Not tainted 5.10.0 #1', 'Web Content')).toBe(8);
  });

  it('ignores a CPU line of another task', () => {
    expect(parseInvokerPid('CPU: 0 UID: 0 PID: 1 Comm: systemd Not tainted 6.18', 'hog')).toBeNull();
    expect(parseInvokerPid('CPU: 0 UID: 0 PID: 1 Comm: hogger Not tainted 6.18', 'hog')).toBeNull();
    expect(parseInvokerPid('Call Trace:', 'hog')).toBeNull();
  });
});
