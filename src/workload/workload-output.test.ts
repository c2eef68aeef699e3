import { describe, expect, it } from 'vitest';
import { readWorkloadReport } from './workload-output.ts';

describe('readWorkloadReport', () => {
  it('keeps the steps reached and the last progress', () => {
    const output = [
      '{"event":"start","pid":1}',
      '{"event":"allocated","allocated":100,"rss":5}',
      'not json',
      '{"event":"progress","allocated":100,"touched":40,"rss":45}',
      '{"event":"progress","allocated":100,"touched":80,"rss":85}',
    ].join('\n');
    expect(readWorkloadReport(output)).toEqual({ events: ['start', 'allocated', 'progress'], allocatedBytes: 100, touchedBytes: 80, rssBytes: 85 });
  });
  it('is null for other programs', () => {
    expect(readWorkloadReport('hello\n')).toBeNull();
  });
});
