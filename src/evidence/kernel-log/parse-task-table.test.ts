import { describe, expect, it } from 'vitest';
import { parseTaskTableHeader, parseTaskTableRow } from './parse-task-table.ts';

const MODERN =
  '[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name';
const OLDER = '[ pid ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name';

describe('parseTaskTableHeader', () => {
  it('reads the column names', () => {
    expect(parseTaskTableHeader(MODERN)).toEqual([
      'pid',
      'uid',
      'tgid',
      'total_vm',
      'rss',
      'rss_anon',
      'rss_file',
      'rss_shmem',
      'pgtables_bytes',
      'swapents',
      'oom_score_adj',
      'name',
    ]);
    expect(parseTaskTableHeader(OLDER)).toEqual(['pid', 'uid', 'tgid', 'total_vm', 'rss', 'pgtables_bytes', 'swapents', 'oom_score_adj', 'name']);
  });

  it('rejects rows and other lines', () => {
    expect(parseTaskTableHeader('[   4624]     0  4624 hog')).toBeNull();
    expect(parseTaskTableHeader('Tasks state (memory values in pages):')).toBeNull();
    expect(parseTaskTableHeader('[ pid ] uid tgid')).toBeNull();
  });
});

describe('parseTaskTableRow', () => {
  it('reads a 6.x row by the header columns', () => {
    const row = '[  16814]     0 16814    30574    30313    30176      137         0   278528        0           500 hog';
    expect(parseTaskTableRow(row, parseTaskTableHeader(MODERN)!)).toEqual({
      pid: 16814,
      uid: 0,
      tgid: 16814,
      totalVmPages: 30574,
      rssPages: 30313,
      oomScoreAdj: 500,
      name: 'hog',
    });
  });

  it('reads an older row with fewer columns and a negative adj', () => {
    const row = '[  321]   105   321    12000      800    65536        0         -1000 systemd-journal';
    expect(parseTaskTableRow(row, parseTaskTableHeader(OLDER)!)).toEqual({
      pid: 321,
      uid: 105,
      tgid: 321,
      totalVmPages: 12000,
      rssPages: 800,
      oomScoreAdj: -1000,
      name: 'systemd-journal',
    });
  });

  it('keeps spaces inside the name', () => {
    const row = '[  500]  1000   500    20000     1000    65536        0           200 Web Content';
    expect(parseTaskTableRow(row, parseTaskTableHeader(OLDER)!)?.name).toBe('Web Content');
  });

  it('rejects rows that do not fit the header', () => {
    const columns = parseTaskTableHeader(MODERN)!;
    expect(parseTaskTableRow('[   4624]     0  4624    16695 hog', columns)).toBeNull();
    expect(parseTaskTableRow('[   4624]     0  4624    16695    16393    16256      137         0   176128        0             0', columns)).toBeNull();
    expect(parseTaskTableRow('[ abc]     0', columns)).toBeNull();
    expect(parseTaskTableRow('[  199.253201] x', columns)).toBeNull();
    expect(parseTaskTableRow('Tasks state (memory values in pages):', columns)).toBeNull();
  });
});
