import { describe, expect, it } from 'vitest';
import type { KernelOomReport } from './kernel-oom-report.ts';
import { parseKernelLog } from './parse-kernel-log.ts';
import {
  fixtureNames,
  kmsgRecords,
  readFixture,
  toBare,
  toCrlf,
  toDmesg,
  toDmesgRaw,
  toDmesgWall,
  toJournal,
  toJournalWithMonotonic,
} from './test-fixtures.ts';

interface Expected {
  victimPid: number;
  victimComm: string;
  oomScoreAdj: number;
  oomMemcg: string;
  taskMemcg: string;
  invoker: { comm: string; pid: number; oomScoreAdj: number };
  usageKb: number;
  candidatePids: number[];
  anonRssKb: number;
  kernelTimeUs: number;
  sequence: number;
}

const DOCKER_LIMIT = '/docker/eeefacbab7fb193590aaa114be5c18f7bfd581b6077fede7d8323a52f48737f8';
const DOCKER_CHILD = '/docker/980a3500cfd47801bd57dac96d96efc665ff42d4786f8ae6de0c8607a99f8719';
const PYTHON_CGROUP = '/process_api/b96415b64476d5734475dc546a6ae88a/ceo-probe';

// Victims per the fixtures' README; the other values are read off the fixture text.
const EXPECTED: Record<string, Expected> = {
  'memcg-v1-plain-cgroup-python.kmsg': {
    victimPid: 2031,
    victimComm: 'python3',
    oomScoreAdj: 0,
    oomMemcg: PYTHON_CGROUP,
    taskMemcg: PYTHON_CGROUP,
    invoker: { comm: 'python3', pid: 2031, oomScoreAdj: 0 },
    usageKb: 65536,
    candidatePids: [2031],
    anonRssKb: 65152,
    kernelTimeUs: 101959484,
    sequence: 414,
  },
  'memcg-v1-docker-container-limit.kmsg': {
    victimPid: 4624,
    victimComm: 'hog',
    oomScoreAdj: 0,
    oomMemcg: DOCKER_LIMIT,
    taskMemcg: DOCKER_LIMIT,
    invoker: { comm: 'hog', pid: 4624, oomScoreAdj: 0 },
    usageKb: 65536,
    candidatePids: [4624],
    anonRssKb: 65024,
    kernelTimeUs: 199253228,
    sequence: 501,
  },
  'memcg-v1-parent-cgroup-biggest-victim.kmsg': {
    victimPid: 16557,
    victimComm: 'hog',
    oomScoreAdj: 0,
    oomMemcg: '/vhost',
    taskMemcg: '/vhost/049a0fe9df5c3f1a35d1abc5aba35d38024ddd1f88178ddc0785efb861937031',
    // The growing app invoked the killer, yet db, the biggest, was killed.
    invoker: { comm: 'hog', pid: 16621, oomScoreAdj: 0 },
    usageKb: 307200,
    candidatePids: [16557, 16621],
    anonRssKb: 184960,
    kernelTimeUs: 500203003,
    sequence: 817,
  },
  'memcg-v1-parent-cgroup-adj500-victim.kmsg': {
    victimPid: 16814,
    victimComm: 'hog',
    oomScoreAdj: 500,
    oomMemcg: '/vhost',
    taskMemcg: '/vhost/ca4f21a6a19fc336391ce8652c490f32d4bcff7174b9ef822286717531a21eda',
    invoker: { comm: 'hog', pid: 16814, oomScoreAdj: 500 },
    usageKb: 307200,
    candidatePids: [16748, 16814],
    anonRssKb: 120704,
    kernelTimeUs: 506000082,
    sequence: 923,
  },
  'memcg-v1-docker-child-process-victim.kmsg': {
    victimPid: 16980,
    victimComm: 'hog',
    oomScoreAdj: 0,
    oomMemcg: DOCKER_CHILD,
    taskMemcg: DOCKER_CHILD,
    invoker: { comm: 'hog', pid: 16980, oomScoreAdj: 0 },
    usageKb: 65536,
    candidatePids: [16952, 16980],
    anonRssKb: 64896,
    kernelTimeUs: 516054730,
    sequence: 1023,
  },
};

function expectVictim(report: KernelOomReport | undefined, expected: Expected): void {
  expect(report).toBeDefined();
  expect(report).toMatchObject({
    victimPid: expected.victimPid,
    victimComm: expected.victimComm,
    oomScoreAdj: expected.oomScoreAdj,
    constraint: 'CONSTRAINT_MEMCG',
    memcgOom: true,
    oomMemcg: expected.oomMemcg,
    taskMemcg: expected.taskMemcg,
  });
}

describe('parseKernelLog on the /dev/kmsg fixtures', () => {
  it('covers every fixture file', () => {
    expect(fixtureNames().sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  describe.each(Object.entries(EXPECTED))('%s', (name, expected) => {
    const text = readFixture(name);
    const reports = parseKernelLog(text);

    it('yields exactly one report naming the README victim', () => {
      expect(reports).toHaveLength(1);
      expectVictim(reports[0], expected);
    });

    it('reads the invoker, memcg counters and task table', () => {
      const report = reports[0]!;
      expect(report.invokedBy).toEqual({
        comm: expected.invoker.comm,
        pid: expected.invoker.pid,
        gfpMask: '0xcc0(GFP_KERNEL)',
        order: 0,
        oomScoreAdj: expected.invoker.oomScoreAdj,
      });
      expect(report.memcgUsageKb).toBe(expected.usageKb);
      expect(report.memcgLimitKb).toBe(expected.usageKb);
      expect(report.statsMemcg).toBe(expected.oomMemcg);
      expect(report.candidates.map((candidate) => candidate.pid)).toEqual(expected.candidatePids);
      expect(report.candidates.find((candidate) => candidate.pid === expected.victimPid)).toMatchObject({
        name: expected.victimComm,
        uid: 0,
        tgid: expected.victimPid,
        oomScoreAdj: expected.oomScoreAdj,
      });
    });

    it('reads the kill line sizes and its kmsg position', () => {
      const report = reports[0]!;
      expect(report.anonRssKb).toBe(expected.anonRssKb);
      expect(report.shmemRssKb).toBe(0);
      expect(report.kernelTimeUs).toBe(expected.kernelTimeUs);
      expect(report.sequence).toBe(expected.sequence);
      expect(report.wallTime).toBeNull();
      expect(report.host).toBeNull();
      expect(report.reaped).toBeNull();
    });

    it('keeps every message line of the report, unprefixed', () => {
      expect(reports[0]!.rawLines).toEqual(kmsgRecords(text).map((record) => record.message));
    });

    it.each([
      ['dmesg', toDmesg, true, false],
      ['dmesg -r', toDmesgRaw, true, false],
      ['dmesg -T', toDmesgWall, false, true],
      ['journalctl -k', toJournal, false, true],
      ['syslog-style journal with monotonic stamp', toJournalWithMonotonic, true, true],
      ['bare messages', toBare, false, false],
    ] as const)('finds the same victim in %s output', (_format, render, hasMonotonic, hasWall) => {
      const converted = parseKernelLog(render(text));
      expect(converted).toHaveLength(1);
      const report = converted[0]!;
      expectVictim(report, expected);
      expect(report.sequence).toBeNull();
      expect(report.kernelTimeUs).toBe(hasMonotonic ? expected.kernelTimeUs : null);
      expect(report.wallTime === null).toBe(!hasWall);
      expect(report.rawLines).toEqual(reports[0]!.rawLines);
      expect(report.candidates).toEqual(reports[0]!.candidates);
    });

    it('accepts CRLF line endings', () => {
      const crlf = parseKernelLog(toCrlf(text));
      expect(crlf).toEqual(reports);
    });
  });

  it('finds all five reports in the concatenation of the fixtures', () => {
    const names = fixtureNames();
    const reports = parseKernelLog(names.map(readFixture).join(''));
    expect(reports.map((report) => report.victimPid)).toEqual(names.map((name) => EXPECTED[name]!.victimPid));
    reports.forEach((report, i) => expectVictim(report, EXPECTED[names[i]!]!));
  });

  it('finds all five in a journal that interleaves unrelated kernel lines', () => {
    const noise = 'Dec 03 12:00:00 labhost kernel: eth0: Link is Up - 1Gbps/Full - flow control off\n';
    const journal = fixtureNames()
      .map((name) => noise + toJournal(readFixture(name)) + noise)
      .join('');
    expect(parseKernelLog(journal).map((report) => report.victimPid)).toEqual([16980, 4624, 16814, 16557, 2031]);
  });
});

describe('parseKernelLog robustness', () => {
  const adj500 = readFixture('memcg-v1-parent-cgroup-adj500-victim.kmsg');
  const biggest = readFixture('memcg-v1-parent-cgroup-biggest-victim.kmsg');
  const lines = (text: string) => text.split('\n').filter((line) => line !== '');

  it('returns nothing for logs without OOM kills', () => {
    expect(parseKernelLog('')).toEqual([]);
    expect(parseKernelLog('[    0.000000] Linux version 6.18.44\n[    1.0] random: crng init done\n')).toEqual([]);
  });

  it('yields a record from the Killed process line alone', () => {
    const killed = lines(adj500).find((line) => line.includes('Killed process'))!;
    const [report] = parseKernelLog(`6,1,100,-;unrelated\n${killed}\n`);
    expect(report).toMatchObject({
      victimPid: 16814,
      victimComm: 'hog',
      oomScoreAdj: 500,
      memcgOom: true,
      constraint: null,
      oomMemcg: null,
      taskMemcg: null,
      invokedBy: null,
      candidates: [],
      sequence: 923,
    });
    expect(report!.rawLines).toEqual([killed.slice(killed.indexOf(';') + 1)]);
  });

  it('yields a full record when only the header is missing', () => {
    const withoutHeader = lines(adj500)
      .filter((line) => !line.includes('invoked oom-killer'))
      .join('\n');
    const [report] = parseKernelLog(withoutHeader);
    expect(report).toMatchObject({ victimPid: 16814, invokedBy: null, constraint: null, oomMemcg: null });
  });

  it('yields a record when the oom-kill: line is missing, taking the memcg from the stats dump', () => {
    const withoutSummary = lines(adj500)
      .filter((line) => !line.includes('oom-kill:'))
      .join('\n');
    const [report] = parseKernelLog(withoutSummary);
    expect(report).toMatchObject({
      victimPid: 16814,
      constraint: null,
      memcgOom: true,
      oomMemcg: '/vhost',
      taskMemcg: null,
    });
    expect(report!.invokedBy?.pid).toBe(16814);
  });

  it('keeps two interleaved reports apart', () => {
    // B's report begins before A's Killed process line: A must still close with A's data.
    const a = lines(biggest);
    const b = lines(adj500);
    const aKill = a.findIndex((line) => line.includes('Killed process'));
    const bSummary = b.findIndex((line) => line.includes('oom-kill:'));
    const mixed = [...a.slice(0, aKill), ...b.slice(0, bSummary + 1), a[aKill]!, ...b.slice(bSummary + 1)];
    const reports = parseKernelLog(mixed.join('\n'));
    expect(reports.map((report) => report.victimPid)).toEqual([16557, 16814]);
    expect(reports[0]!.taskMemcg).toBe(EXPECTED['memcg-v1-parent-cgroup-biggest-victim.kmsg']!.taskMemcg);
    expect(reports[0]!.invokedBy?.pid).toBe(16621);
    expect(reports[1]!.taskMemcg).toBe(EXPECTED['memcg-v1-parent-cgroup-adj500-victim.kmsg']!.taskMemcg);
    expect(reports[1]!.invokedBy?.oomScoreAdj).toBe(500);
    expect(reports[1]!.candidates.map((candidate) => candidate.pid)).toEqual([16748, 16814]);
  });

  it('keeps reports of different journal hosts apart even when their lines alternate', () => {
    const a = lines(toJournal(biggest, 'alpha'));
    const b = lines(toJournal(adj500, 'beta'));
    const zipped: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (a[i] !== undefined) zipped.push(a[i]!);
      if (b[i] !== undefined) zipped.push(b[i]!);
    }
    const reports = parseKernelLog(zipped.join('\n'));
    // beta's report is two lines shorter, so its Killed process line comes first.
    expect(reports.map((report) => [report.host, report.victimPid, report.invokedBy?.pid])).toEqual([
      ['beta', 16814, 16814],
      ['alpha', 16557, 16621],
    ]);
    expect(reports[1]!.rawLines).toEqual(kmsgRecords(biggest).map((record) => record.message));
  });

  it('accepts formats mixed within one report', () => {
    const dmesg = lines(toDmesg(adj500));
    const kmsg = lines(adj500);
    const half = Math.floor(kmsg.length / 2);
    const [report] = parseKernelLog([...dmesg.slice(0, half), ...kmsg.slice(half)].join('\n'));
    expect(report).toMatchObject({ victimPid: 16814, oomScoreAdj: 500, oomMemcg: '/vhost', sequence: 923 });
    expect(report!.invokedBy?.pid).toBe(16814);
  });

  it('attaches a following oom_reaper line to its victim', () => {
    const text =
      readFixture('memcg-v1-docker-container-limit.kmsg') +
      '6,502,199253400,-;hog (4630): unrelated line\n' +
      '6,503,199255000,-;oom_reaper: reaped process 4624 (hog), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n';
    const [report] = parseKernelLog(text);
    expect(report!.reaped).toEqual({ anonRssKb: 0 });
    expect(report!.rawLines.at(-1)).toBe('oom_reaper: reaped process 4624 (hog), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB');
    // The unrelated line after the kill is not part of the report.
    expect(report!.rawLines).not.toContain('hog (4630): unrelated line');
  });

  it('attaches a reaper line to the right report after the next report has started', () => {
    const text =
      readFixture('memcg-v1-parent-cgroup-biggest-victim.kmsg') +
      readFixture('memcg-v1-parent-cgroup-adj500-victim.kmsg').replace(
        '6,872,',
        '6,871,505999300,-;oom_reaper: reaped process 16557 (hog), now anon-rss:12kB, file-rss:0kB, shmem-rss:0kB\n6,872,',
      );
    const reports = parseKernelLog(text);
    expect(reports.map((report) => report.reaped)).toEqual([{ anonRssKb: 12 }, null]);
    expect(reports[1]!.rawLines.some((line) => line.startsWith('oom_reaper'))).toBe(false);
  });

  it('ignores a reaper line for a pid it never saw killed', () => {
    expect(parseKernelLog('oom_reaper: reaped process 1 (init), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n')).toEqual([]);
  });

  it('reads an older-kernel report with a Kill process selection and a child victim', () => {
    // 4.x style: no oom-kill: line, `Task in … limit of …`, fewer task-table columns, a selection
    // line, and a Killed process line without a reason prefix that names a sacrificed child.
    const log = [
      '[ 5000.000001] java invoked oom-killer: gfp_mask=0x14000c0(GFP_KERNEL), nodemask=(null), order=0, oom_score_adj=0',
      '[ 5000.000002] java cpuset=abc mems_allowed=0',
      '[ 5000.000003] CPU: 3 PID: 7001 Comm: java Not tainted 4.14.0 #1',
      '[ 5000.000004] Task in /docker/abc killed as a result of limit of /docker/abc',
      '[ 5000.000005] memory: usage 524288kB, limit 524288kB, failcnt 12',
      '[ 5000.000006] Memory cgroup stats for /docker/abc: cache:0KB rss:524288KB',
      '[ 5000.000007] [ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name',
      '[ 5000.000008] [ 7000]  1000  7000     1000      200       5       3        0             0 sh',
      '[ 5000.000009] [ 7001]  1000  7001   300000   131000     300       3        0           200 java',
      '[ 5000.000010] [ 7002]  1000  7002    20000     1000      30       3        0           200 Web Content',
      '[ 5000.000011] Memory cgroup out of memory: Kill process 7001 (java) score 1200 or sacrifice child',
      '[ 5000.000012] Killed process 7002 (Web Content) total-vm:80000kB, anon-rss:4000kB, file-rss:0kB, shmem-rss:0kB',
    ].join('\n');
    const [report, ...rest] = parseKernelLog(log);
    expect(rest).toEqual([]);
    expect(report).toMatchObject({
      victimPid: 7002,
      victimComm: 'Web Content',
      oomScoreAdj: 200, // not on the kill line, so from the task table
      anonRssKb: 4000,
      totalVmKb: 80000,
      constraint: null,
      memcgOom: true,
      oomMemcg: '/docker/abc',
      taskMemcg: '/docker/abc',
      statsMemcg: null, // this kernel prints the stats on the same line, so there is no header line
      memcgUsageKb: 524288,
      kernelTimeUs: 5000000012,
      invokedBy: { comm: 'java', pid: 7001, gfpMask: '0x14000c0(GFP_KERNEL)', order: 0, oomScoreAdj: 0 },
    });
    expect(report!.candidates).toEqual([
      { pid: 7000, uid: 1000, tgid: 7000, totalVmPages: 1000, rssPages: 200, oomScoreAdj: 0, name: 'sh' },
      { pid: 7001, uid: 1000, tgid: 7001, totalVmPages: 300000, rssPages: 131000, oomScoreAdj: 200, name: 'java' },
      { pid: 7002, uid: 1000, tgid: 7002, totalVmPages: 20000, rssPages: 1000, oomScoreAdj: 200, name: 'Web Content' },
    ]);
  });

  it('still yields a record when a log ends after an old-style Kill process line', () => {
    const [report] = parseKernelLog('<3>[ 10.5] Out of memory: Kill process 42 (leaky) score 900 or sacrifice child\n');
    expect(report).toMatchObject({ victimPid: 42, victimComm: 'leaky', memcgOom: false, kernelTimeUs: 10500000 });
  });

  it('reads a global OOM', () => {
    const log = [
      'Dec 03 12:00:00 box kernel: stress invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0',
      'Dec 03 12:00:00 box kernel: CPU: 1 UID: 1000 PID: 900 Comm: stress Not tainted 6.8.0 #1',
      'Dec 03 12:00:00 box kernel: Mem-Info:',
      'Dec 03 12:00:00 box kernel: Tasks state (memory values in pages):',
      'Dec 03 12:00:00 box kernel: [  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name',
      'Dec 03 12:00:00 box kernel: [    900]  1000   900   500000   480000   479000     1000         0  4000000        0             0 stress',
      'Dec 03 12:00:00 box kernel: oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/user.slice/user-1000.slice/session-3.scope,task=stress,pid=900,uid=1000',
      'Dec 03 12:00:01 box kernel: Out of memory: Killed process 900 (stress) total-vm:2000000kB, anon-rss:1916000kB, file-rss:4000kB, shmem-rss:0kB, UID:1000 pgtables:3906kB oom_score_adj:0',
    ].join('\n');
    const [report] = parseKernelLog(log);
    expect(report).toMatchObject({
      victimPid: 900,
      constraint: 'CONSTRAINT_NONE',
      memcgOom: false,
      oomMemcg: null,
      taskMemcg: '/user.slice/user-1000.slice/session-3.scope',
      memcgUsageKb: null,
      wallTime: 'Dec 03 12:00:01',
      host: 'box',
      kernelTimeUs: null,
    });
    expect(report!.invokedBy?.pid).toBe(900);
  });

  it('drops a report the kernel abandoned without a victim', () => {
    const log = [
      'hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
      'Out of memory and no killable processes...',
      'Killed process 77 (other) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB',
    ].join('\n');
    const [report] = parseKernelLog(log);
    expect(report).toMatchObject({ victimPid: 77, invokedBy: null });
  });
});
