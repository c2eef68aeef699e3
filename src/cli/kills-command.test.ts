import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseKernelLog } from '../evidence/kernel-log/parse-kernel-log.ts';
import { formatKillTable, killRow } from './kills-command.ts';

const fixture = (name: string) => readFileSync(new URL(`../../../shared/fixtures/kmsg/${name}`, import.meta.url), 'utf8');

describe('kill rows', () => {
  it.each([
    ['memcg-v1-docker-container-limit.kmsg', 4624, 'container', 'eeefacbab7fb'],
    ['memcg-v1-parent-cgroup-biggest-victim.kmsg', 16557, 'parent', '049a0fe9df5c'],
    ['memcg-v1-parent-cgroup-adj500-victim.kmsg', 16814, 'parent', 'ca4f21a6a19f'],
    ['memcg-v1-docker-child-process-victim.kmsg', 16980, 'container', '980a3500cfd4'],
    ['memcg-v1-plain-cgroup-python.kmsg', 2031, 'container', null],
  ])('%s: pid %d, scope %s', (file, pid, scope, container) => {
    const [row] = parseKernelLog(fixture(file)).map(killRow);
    expect(row).toMatchObject({ pid, scope, container });
  });

  it('prints a table', () => {
    const table = formatKillTable(parseKernelLog(fixture('memcg-v1-docker-container-limit.kmsg')).map(killRow));
    expect(table.split('\n')[1]).toMatch(/^199\.253228\s+4624\s+hog\s+0\s+64 MiB\s+container\s+eeefacbab7fb/);
    expect(formatKillTable([])).toBe('no OOM kills found');
  });
});
