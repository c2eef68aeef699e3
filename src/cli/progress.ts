import type { Evidence } from '../evidence/evidence.ts';
import { formatEvidence } from '../evidence/evidence.ts';
import type { SampleRecord } from '../observe/cgroup-sampler.ts';
import type { RunPlan } from '../plan/plan.ts';
import type { RunResult } from '../record/run-record.ts';
import type { ProgressListener } from '../run/run-scenario.ts';
import { formatBytes } from '../units/size.ts';
import type { Clock } from '../clock/clock.ts';

/** Evidence that is noise on a screen; it is all in events.ndjson. */
const QUIET_KINDS = new Set<Evidence['kind']>(['run-started', 'run-finished', 'container-created', 'engine-event']);

function memoryLine(samples: Map<string, SampleRecord>): string {
  return [...samples.values()]
    .map((s) => `${s.container} ${formatBytes(s.usageBytes)}/${s.limitBytes === null ? '∞' : formatBytes(s.limitBytes)}${s.underOom ? ' UNDER_OOM' : ''}`)
    .join('  ');
}

/**
 * Live progress. On a TTY one status line is redrawn in place with each container's memory against its
 * limit; elsewhere (CI) plain lines, with memory at most once a second.
 */
export function createProgress(stream: NodeJS.WriteStream, clock: Clock, verbose = false): ProgressListener {
  const tty = stream.isTTY === true && !process.env.CI;
  const latest = new Map<string, SampleRecord>();
  let header = '';
  let lastPlainMemory = 0;
  let statusShown = false;

  const clearStatus = () => {
    if (tty && statusShown) stream.write('\r\x1b[K');
    statusShown = false;
  };
  const line = (text: string) => {
    clearStatus();
    stream.write(`${text}\n`);
  };
  const drawStatus = () => {
    if (!tty) return;
    stream.write(`\r\x1b[K${header}  ${memoryLine(latest)}`.slice(0, (stream.columns ?? 120) + 4));
    statusShown = true;
  };

  return {
    housekeeping: (message) => line(`oomlab: ${message}`),
    runStarting(run: RunPlan, total: number) {
      latest.clear();
      header = `[${run.ordinal + 1}/${total}] ${run.variant.name}${run.variant.containers.length ? '' : ''}${run.repeatIndex > 0 ? ` (repeat ${run.repeatIndex + 1})` : ''}`;
      line(`${header}: starting ${run.variant.containers.map((c) => c.name).join(', ')}`);
    },
    evidence(item: Evidence) {
      if (!verbose && QUIET_KINDS.has(item.kind)) return;
      if (item.kind === 'settings' && item.differences.length === 0 && !verbose) return;
      line(`  ${formatEvidence(item)}`);
      drawStatus();
    },
    sample(sample: SampleRecord) {
      latest.set(sample.container, sample);
      if (tty) return drawStatus();
      const now = clock.nowMs();
      if (now - lastPlainMemory >= 1000) {
        lastPlainMemory = now;
        line(`  memory: ${memoryLine(latest)}`);
      }
    },
    runFinished(run: RunPlan, result: RunResult) {
      const outcomes = result.containers
        .map((c) => `${c.name}=${c.outcome}${c.scope ? `(${c.scope})` : ''}${c.passed === false ? ` [expected ${c.expected!.join('|')}]` : ''}`)
        .join(' ');
      line(`${header}: ${outcomes}  ${result.passed ? 'ok' : 'FAIL'} (${(result.durationMs / 1000).toFixed(1)} s)`);
    },
  };
}
