import type { KernelOomReport } from './kernel-oom-report.ts';
import { createOomReportAssembler } from './oom-report-assembler.ts';

/**
 * Every OOM kill in a whole kernel log (any supported format, mixed per line, LF or CRLF), in the
 * order of their Killed process lines, with oom_reaper results attached.
 */
export function parseKernelLog(text: string): KernelOomReport[] {
  const reports: KernelOomReport[] = [];
  const positions = new Map<KernelOomReport, number>();
  const add = (report: KernelOomReport) => {
    positions.set(report, reports.length);
    reports.push(report);
  };
  const assembler = createOomReportAssembler({
    onReaped(report, previous) {
      const position = positions.get(previous);
      if (position === undefined) return;
      positions.delete(previous);
      positions.set(report, position);
      reports[position] = report;
    },
  });
  for (const line of text.split('\n')) assembler.push(line).forEach(add);
  assembler.flush().forEach(add);
  return reports;
}
