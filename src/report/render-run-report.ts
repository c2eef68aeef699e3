import type { RunRecord } from '../record/run-record.ts';
import type { SampleRecord } from '../observe/cgroup-sampler.ts';

export function renderRunReport(record: RunRecord, _samples: readonly SampleRecord[]): string {
  return `<!doctype html><title>${record.scenario}</title><pre>${JSON.stringify(record.passed)}</pre>`;
}
