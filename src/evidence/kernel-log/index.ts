export type { KernelOomReport, OomCandidate, OomInvoker, OomReaped } from './kernel-oom-report.ts';
export { parseKernelLog } from './parse-kernel-log.ts';
export {
  createOomReportAssembler,
  type OomReportAssembler,
  type OomReportAssemblerOptions,
} from './oom-report-assembler.ts';
export { parseLogLine, secondsTextToMicros, type LogLine, type LogLineFormat } from './parse-log-line.ts';
export { isNoVictimLine, parseKilledProcessLine, type KilledProcessLine } from './parse-killed-process.ts';
export { parseOomKillSummary, type OomKillSummary } from './parse-oom-kill-summary.ts';
export { parseInvokerPid, parseOomHeader } from './parse-oom-header.ts';
export { parseOomReaperLine, type OomReaperLine } from './parse-oom-reaper.ts';
export { parseTaskTableHeader, parseTaskTableRow } from './parse-task-table.ts';
export { parseMemcgStatsHeader, parseMemcgUsage, parseTaskInMemcgLine, type MemcgUsage } from './parse-memcg-lines.ts';
