import type { RunRecord } from '../record/run-record.ts';

export function renderRunReport(record: RunRecord): string {
  return `<!doctype html><title>${record.scenario}</title><pre>${JSON.stringify(record.passed)}</pre>`;
}
