import { describe, expect, it } from 'vitest';
import { parseLogLine, secondsTextToMicros } from './parse-log-line.ts';

const MESSAGE = 'oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,task=hog,pid=1,uid=0';

describe('parseLogLine', () => {
  it('reads a /dev/kmsg record', () => {
    expect(parseLogLine(`6,500,199253201,-;${MESSAGE}`)).toEqual({
      message: MESSAGE,
      kernelTimeUs: 199253201,
      sequence: 500,
      wallTime: null,
      host: null,
      level: 6,
      format: 'kmsg',
    });
  });

  it('takes the level from a kmsg priority that includes a facility', () => {
    expect(parseLogLine('14,7,1000,-;from userspace')?.level).toBe(6);
  });

  it('tolerates extra kmsg prefix fields such as caller=', () => {
    expect(parseLogLine('4,423,199252697,-,caller=T4624;hog invoked oom-killer: x')).toMatchObject({
      message: 'hog invoked oom-killer: x',
      sequence: 423,
    });
  });

  it('keeps the leading space of kmsg stack-trace messages', () => {
    expect(parseLogLine('4,427,199252737,-; dump_stack_lvl+0x59/0x90')?.message).toBe(' dump_stack_lvl+0x59/0x90');
  });

  it('returns null for kmsg dictionary lines and blank lines', () => {
    expect(parseLogLine(' SUBSYSTEM=memory')).toBeNull();
    expect(parseLogLine(' DEVICE=+memory:foo')).toBeNull();
    expect(parseLogLine('')).toBeNull();
    expect(parseLogLine('   \r')).toBeNull();
  });

  it('reads plain dmesg', () => {
    expect(parseLogLine(`[  199.253201] ${MESSAGE}`)).toMatchObject({
      message: MESSAGE,
      kernelTimeUs: 199253201,
      sequence: null,
      wallTime: null,
      level: null,
      format: 'dmesg',
    });
    expect(parseLogLine('[  199.252737]  dump_stack_lvl+0x59/0x90')?.message).toBe(' dump_stack_lvl+0x59/0x90');
  });

  it('reads dmesg -r', () => {
    expect(parseLogLine(`<3>[  199.253228] ${MESSAGE}`)).toMatchObject({
      message: MESSAGE,
      kernelTimeUs: 199253228,
      level: 3,
      format: 'dmesg',
    });
  });

  it('reads dmesg -x', () => {
    expect(parseLogLine(`kern  :err   : [  199.253228] ${MESSAGE}`)).toMatchObject({
      message: MESSAGE,
      kernelTimeUs: 199253228,
      level: 3,
    });
  });

  it('drops the CONFIG_PRINTK_CALLER column', () => {
    expect(parseLogLine(`[  199.253201] [ T4624] ${MESSAGE}`)?.message).toBe(MESSAGE);
  });

  it('reads dmesg -T', () => {
    expect(parseLogLine(`[Thu Dec  3 12:00:00 2026] ${MESSAGE}`)).toMatchObject({
      message: MESSAGE,
      kernelTimeUs: null,
      wallTime: 'Thu Dec  3 12:00:00 2026',
      format: 'dmesg-wall',
    });
  });

  it('reads dmesg --time-format=iso', () => {
    expect(parseLogLine(`2026-12-03T12:00:00,123456+00:00 ${MESSAGE}`)).toMatchObject({
      message: MESSAGE,
      wallTime: '2026-12-03T12:00:00,123456+00:00',
    });
  });

  it('reads journalctl -k', () => {
    expect(parseLogLine(`Dec 03 12:00:00 labhost kernel: ${MESSAGE}`)).toEqual({
      message: MESSAGE,
      kernelTimeUs: null,
      sequence: null,
      wallTime: 'Dec 03 12:00:00',
      host: 'labhost',
      level: null,
      format: 'journal',
    });
  });

  it('reads the monotonic stamp that syslog keeps after kernel:', () => {
    expect(parseLogLine(`Dec  3 12:00:00 labhost kernel: [  199.253201] ${MESSAGE}`)).toMatchObject({
      message: MESSAGE,
      kernelTimeUs: 199253201,
      wallTime: 'Dec  3 12:00:00',
      host: 'labhost',
    });
  });

  it.each([
    ['short-precise', 'Dec 03 12:00:00.123456'],
    ['short-iso', '2026-12-03T12:00:00+0000'],
    ['short-iso-precise', '2026-12-03T12:00:00.123456+00:00'],
    ['short-full', 'Thu 2026-12-03 12:00:00 UTC'],
    ['short-unix', '1796299200.123456'],
  ])('reads journalctl -o %s', (_name, stamp) => {
    expect(parseLogLine(`${stamp} labhost kernel: ${MESSAGE}`)).toMatchObject({
      message: MESSAGE,
      wallTime: stamp,
      host: 'labhost',
    });
  });

  it('reads journalctl -o short-monotonic', () => {
    expect(parseLogLine(`[  199.253201] labhost kernel: ${MESSAGE}`)).toMatchObject({
      message: MESSAGE,
      kernelTimeUs: 199253201,
      wallTime: null,
      host: 'labhost',
    });
  });

  it('keeps the leading space of journal stack-trace messages', () => {
    expect(parseLogLine('Dec 03 12:00:00 h kernel:  dump_stack_lvl+0x59/0x90')?.message).toBe(' dump_stack_lvl+0x59/0x90');
  });

  it('passes bare messages through', () => {
    expect(parseLogLine(MESSAGE)).toEqual({
      message: MESSAGE,
      kernelTimeUs: null,
      sequence: null,
      wallTime: null,
      host: null,
      level: null,
      format: 'bare',
    });
  });

  it('does not mistake a task-table row for a dmesg timestamp', () => {
    const row = '[   4624]     0  4624    16695    16393    16256      137         0   176128        0             0 hog';
    expect(parseLogLine(row)).toMatchObject({ message: row, format: 'bare' });
    expect(parseLogLine(`[  199.253196] ${row}`)?.message).toBe(row);
  });

  it('does not take " kernel:" inside a message for a journal prefix', () => {
    const message = 'some driver said that the running kernel: is fine';
    expect(parseLogLine(message)).toMatchObject({ message, host: null, format: 'bare' });
  });

  it('strips CR and LF line endings', () => {
    expect(parseLogLine(`6,1,2,-;${MESSAGE}\r\n`)?.message).toBe(MESSAGE);
    expect(parseLogLine(`[  1.000000] ${MESSAGE}\r`)?.message).toBe(MESSAGE);
  });

  it('stays fast on hostile input', () => {
    const hostile = ['['.repeat(100_000), ' '.repeat(100_000) + 'x', '1,'.repeat(50_000), `<1>[ ${'9'.repeat(100_000)}`];
    const started = performance.now();
    for (const line of hostile) parseLogLine(line);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('secondsTextToMicros', () => {
  it('pads and truncates the fraction to microseconds', () => {
    expect(secondsTextToMicros('199', '253201')).toBe(199253201);
    expect(secondsTextToMicros('10', '5')).toBe(10500000);
    expect(secondsTextToMicros('1', '123456789')).toBe(1123456);
  });
});
