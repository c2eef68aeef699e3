import type { KernelOomReport, OomCandidate, OomInvoker } from './kernel-oom-report.ts';
import { isNoVictimLine, parseKilledProcessLine, type KilledProcessLine } from './parse-killed-process.ts';
import { parseLogLine, type LogLine } from './parse-log-line.ts';
import {
  parseMemcgStatsHeader,
  parseMemcgUsage,
  parseTaskInMemcgLine,
  type MemcgUsage,
} from './parse-memcg-lines.ts';
import { parseInvokerPid, parseOomHeader } from './parse-oom-header.ts';
import { parseOomKillSummary, type OomKillSummary } from './parse-oom-kill-summary.ts';
import { parseOomReaperLine } from './parse-oom-reaper.ts';
import { parseTaskTableHeader, parseTaskTableRow } from './parse-task-table.ts';

export interface OomReportAssemblerOptions {
  /**
   * Called when an `oom_reaper: reaped process` line arrives for a report already returned by
   * push. `report` is a new object with `reaped` filled and the reaper line appended to rawLines;
   * `previous` is the object push returned, which is left untouched.
   */
  onReaped?: (report: KernelOomReport, previous: KernelOomReport) => void;
}

export interface OomReportAssembler {
  /**
   * Feeds one line in any supported format. Returns the reports completed by it: normally the
   * one whose `Killed process` line this is, without waiting for the oom_reaper, which may come
   * seconds later or never.
   */
  push(line: string): KernelOomReport[];
  /** Same as push, for callers that have already run parseLogLine. */
  pushParsed(line: LogLine): KernelOomReport[];
  /**
   * Ends the input. Returns reports that have an old-style `Kill process` selection line but
   * whose `Killed process` line never came (truncated logs); drops unfinished reports otherwise.
   */
  flush(): KernelOomReport[];
}

/** How many reports may be open at once; a header whose kill never comes must not pin memory. */
const MAX_OPEN_REPORTS = 8;
/** Global OOM reports list every task, so allow large hosts, but bound a report that never ends. */
const MAX_RAW_LINES = 50_000;
/** Emitted reports remembered for a late oom_reaper line (the reaper waits ~2 s on recent kernels). */
const MAX_REMEMBERED_REPORTS = 32;
/** The `CPU: … PID:` line is printed directly after the header; further away it is someone else's. */
const INVOKER_PID_WINDOW = 3;

interface Draft {
  host: string | null;
  invokedBy: OomInvoker | null;
  columns: string[] | null;
  candidates: OomCandidate[];
  summary: OomKillSummary | null;
  usage: MemcgUsage | null;
  statsMemcg: string | null;
  taskIn: { taskMemcg: string; oomMemcg: string } | null;
  selection: { line: KilledProcessLine; log: LogLine } | null;
  rawLines: string[];
}

/**
 * Assembles OOM reports from kernel log lines one at a time, for a live /dev/kmsg reader.
 *
 * The kernel serialises OOM reports, so lines are attributed to the most recently started report.
 * A `Killed process` line is matched more carefully (by pid against the oom-kill: line, selection
 * line and task table) so that reports interleaved in merged logs still close correctly. Lines of
 * different journal hosts never mix; lines without a host may join any report.
 */
export function createOomReportAssembler(options: OomReportAssemblerOptions = {}): OomReportAssembler {
  let open: Draft[] = [];
  let emitted: KernelOomReport[] = [];

  function pushParsed(log: LogLine): KernelOomReport[] {
    const message = log.message;

    const header = parseOomHeader(message);
    if (header) {
      const superseded = open.filter((draft) => draft.selection !== null && sameHost(draft.host, log.host));
      open = open.filter((draft) => !superseded.includes(draft));
      open.push({ ...emptyDraft(log.host), invokedBy: header, rawLines: [message] });
      if (open.length > MAX_OPEN_REPORTS) open.shift();
      return superseded.map((draft) => remember(finishFromSelection(draft)));
    }

    const killed = parseKilledProcessLine(message);
    if (killed) {
      const draft = findDraftForKill(log.host, killed.pid) ?? adoptDraft(log.host);
      addRawLine(draft, message);
      if (killed.kind === 'selected') {
        draft.selection = { line: killed, log };
        return [];
      }
      open = open.filter((other) => other !== draft);
      return [remember(buildReport(draft, killed, log))];
    }

    const reaper = parseOomReaperLine(message);
    if (reaper) {
      const index = findLastIndex(
        emitted,
        (report) => report.victimPid === reaper.pid && report.reaped === null && sameHost(report.host, log.host),
      );
      if (index < 0) return [];
      const previous = emitted[index]!;
      const updated: KernelOomReport = {
        ...previous,
        reaped: { anonRssKb: reaper.anonRssKb },
        rawLines: [...previous.rawLines, message],
      };
      emitted[index] = updated;
      options.onReaped?.(updated, previous);
      return [];
    }

    const draft = findLast(open, (candidate) => sameHost(candidate.host, log.host));
    if (!draft) return [];
    if (isNoVictimLine(message)) {
      open = open.filter((other) => other !== draft);
      return [];
    }
    addRawLine(draft, message);
    absorbDetail(draft, message);
    return [];
  }

  function findDraftForKill(host: string | null, pid: number): Draft | undefined {
    const mine = open.filter((draft) => sameHost(draft.host, host));
    return (
      findLast(mine, (draft) => draft.summary?.pid === pid || draft.selection?.line.pid === pid) ??
      findLast(mine, (draft) => draft.candidates.some((candidate) => candidate.pid === pid)) ??
      // Before 5.2 the kernel could kill a child of the selected task: any pid closes a pending selection.
      findLast(mine, (draft) => draft.selection !== null) ??
      findLast(mine, (draft) => draft.summary === null)
    );
  }

  // A Killed process line with no report open still deserves a record: the header may have
  // scrolled out of the ring buffer or the reader may have started mid-report.
  function adoptDraft(host: string | null): Draft {
    const draft = emptyDraft(host);
    open.push(draft);
    if (open.length > MAX_OPEN_REPORTS) open.shift();
    return draft;
  }

  function remember(report: KernelOomReport): KernelOomReport {
    emitted.push(report);
    if (emitted.length > MAX_REMEMBERED_REPORTS) emitted = emitted.slice(-MAX_REMEMBERED_REPORTS);
    return report;
  }

  return {
    push(line) {
      const log = parseLogLine(line);
      return log ? pushParsed(log) : [];
    },
    pushParsed,
    flush() {
      const pending = open.filter((draft) => draft.selection !== null);
      open = [];
      return pending.map((draft) => remember(finishFromSelection(draft)));
    },
  };
}

function emptyDraft(host: string | null): Draft {
  return {
    host,
    invokedBy: null,
    columns: null,
    candidates: [],
    summary: null,
    usage: null,
    statsMemcg: null,
    taskIn: null,
    selection: null,
    rawLines: [],
  };
}

function absorbDetail(draft: Draft, message: string): void {
  const invoker = draft.invokedBy;
  if (invoker && invoker.pid === null && draft.rawLines.length <= 1 + INVOKER_PID_WINDOW) {
    const pid = parseInvokerPid(message, invoker.comm);
    if (pid !== null) {
      draft.invokedBy = { ...invoker, pid };
      return;
    }
  }
  if (draft.columns) {
    const row = parseTaskTableRow(message, draft.columns);
    if (row) {
      draft.candidates.push(row);
      return;
    }
  }
  const columns = parseTaskTableHeader(message);
  if (columns) {
    draft.columns = columns;
    return;
  }
  const summary = draft.summary === null ? parseOomKillSummary(message) : null;
  if (summary) {
    draft.summary = summary;
    return;
  }
  // Only the first `memory:` line: later ones belong to other memcgs in hierarchical dumps.
  const usage = draft.usage === null ? parseMemcgUsage(message) : null;
  if (usage) {
    draft.usage = usage;
    return;
  }
  const statsMemcg = draft.statsMemcg === null ? parseMemcgStatsHeader(message) : null;
  if (statsMemcg !== null) {
    draft.statsMemcg = statsMemcg;
    return;
  }
  const taskIn = draft.taskIn === null ? parseTaskInMemcgLine(message) : null;
  if (taskIn) draft.taskIn = taskIn;
}

function buildReport(draft: Draft, killed: KilledProcessLine, log: LogLine): KernelOomReport {
  const { summary, taskIn } = draft;
  const memcgOom =
    killed.memcgOom ??
    draft.selection?.line.memcgOom ??
    (summary?.constraint ? summary.constraint === 'CONSTRAINT_MEMCG' : null) ??
    (draft.usage !== null || taskIn !== null);
  const victimRow = draft.candidates.find((candidate) => candidate.pid === killed.pid);
  return {
    victimPid: killed.pid,
    victimComm: killed.comm,
    oomScoreAdj: killed.oomScoreAdj ?? victimRow?.oomScoreAdj ?? null,
    anonRssKb: killed.anonRssKb,
    fileRssKb: killed.fileRssKb,
    shmemRssKb: killed.shmemRssKb,
    totalVmKb: killed.totalVmKb,
    constraint: summary?.constraint ?? null,
    memcgOom,
    // The oom-kill: line is authoritative (a global OOM has no oom_memcg); without it, fall back
    // to older kernels' `Task in … limit of …` and then to the memcg whose stats were dumped.
    oomMemcg: summary ? summary.oomMemcg : (taskIn?.oomMemcg ?? (memcgOom ? draft.statsMemcg : null)),
    taskMemcg: summary?.taskMemcg ?? taskIn?.taskMemcg ?? null,
    statsMemcg: draft.statsMemcg,
    invokedBy: draft.invokedBy,
    memcgUsageKb: draft.usage?.usageKb ?? null,
    memcgLimitKb: draft.usage?.limitKb ?? null,
    candidates: draft.candidates,
    kernelTimeUs: log.kernelTimeUs,
    wallTime: log.wallTime,
    sequence: log.sequence,
    host: log.host ?? draft.host,
    reaped: null,
    rawLines: draft.rawLines,
  };
}

function finishFromSelection(draft: Draft): KernelOomReport {
  const { line, log } = draft.selection!;
  return buildReport(draft, line, log);
}

function addRawLine(draft: Draft, message: string): void {
  if (draft.rawLines.length < MAX_RAW_LINES) draft.rawLines.push(message);
}

function sameHost(a: string | null, b: string | null): boolean {
  return a === null || b === null || a === b;
}

function findLast<T>(items: readonly T[], predicate: (item: T) => boolean): T | undefined {
  const index = findLastIndex(items, predicate);
  return index < 0 ? undefined : items[index];
}

function findLastIndex<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i]!)) return i;
  return -1;
}
