import { cac } from 'cac';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { systemClock } from '../clock/clock.ts';
import { DockerEngine } from '../engine/docker/docker-engine.ts';
import { EXIT_BAD_INPUT, EXIT_EXPECTATION_FAILED, EXIT_INTERRUPTED, EXIT_OK, EngineUnavailableError, InterruptedError, ScenarioError, UsageError, exitCodeFor } from '../errors/errors.ts';
import { parseKernelLog } from '../evidence/kernel-log/parse-kernel-log.ts';
import { locateProcessCgroup, readCgroupMounts } from '../host/host-fs.ts';
import { planScenario } from '../plan/plan.ts';
import { renderRunReport } from '../report/render-run-report.ts';
import { runScenario } from '../run/run-scenario.ts';
import { parseScenario } from '../scenario/load.ts';
import { ScenarioSchema, scenarioJsonSchema } from '../scenario/schema.ts';
import { formatKillTable, killRow } from './kills-command.ts';
import { REPORTS_DIR, SCENARIO_DIR, resolveScenarioFile, shippedScenarioNames } from './paths.ts';
import { createProgress } from './progress.ts';
import { summaryTable } from './summary-table.ts';
import { readKernelBuffer } from './read-kernel-buffer.ts';
import { composeToScenario, parsePressure } from '../compose/compose-to-scenario.ts';
import { parseSize } from '../units/size.ts';
import { stringify as stringifyYaml } from 'yaml';
import { protectHarness, readHostInfo } from '../host/host-facts.ts';
import { defaultStateDir, journalPath, readJournal } from '../host/host-journal.ts';
import { restoreAbandoned, restoreJournal } from '../host/host-knobs.ts';
import { doctorChecks, formatDoctor } from '../host/doctor.ts';
import { VirtualHosts } from '../host/virtual-host.ts';
import { isProcessAlive } from '../host/host-fs.ts';
import { variantsRiskingHostOom, variantsSettingHostSysctls, type ScenarioPlan } from '../plan/plan.ts';
import { renderJunit } from '../report/render-junit.ts';
import { renderComparisonReport } from '../report/render-comparison-report.ts';
import { readRunDir } from '../record/read-run-dir.ts';
import { compareRecords, formatChanges } from '../compare/compare-records.ts';
import { recommend, scenarioForValue, tune, type TuneOptions } from '../tune/tune.ts';
import { renderTuneReport } from '../tune/render-tune-report.ts';
import { newRunId } from '../run/run-scenario.ts';
import { OUTCOMES, type Outcome } from '../outcome/outcomes.ts';
import { selectEngine, type EngineChoice } from '../engine/select-engine.ts';
import { HostEngine } from '../engine/host/host-engine.ts';
import { mkdirSync } from 'node:fs';

function loadScenarioFile(nameOrPath: string) {
  const file = resolveScenarioFile(nameOrPath);
  const display = file.startsWith(`${process.cwd()}/`) ? file.slice(process.cwd().length + 1) : file;
  const resolveCompose = (compose: { file: string; pressure: string; hostMemory?: string | number }) => {
    const composeFile = resolve(dirname(file), compose.file);
    const converted = composeToScenario(readFileSync(composeFile, 'utf8'), {
      file: composeFile,
      pressure: parsePressure(compose.pressure),
      hostMemoryBytes: compose.hostMemory === undefined ? undefined : parseSize(compose.hostMemory),
      hostEnvironment: process.env,
    });
    for (const warning of converted.warnings) process.stderr.write(`oomlab: ${compose.file}: ${warning}\n`);
    const parsed = ScenarioSchema.parse({ containers: converted.scenario.containers, host: converted.scenario.host });
    return { containers: parsed.containers, host: parsed.host! };
  };
  return { file, scenario: parseScenario(readFileSync(file, 'utf8'), display, basename(file).replace(/\.ya?ml$/, ''), resolveCompose) };
}

function asList(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function positiveInt(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new UsageError(`${flag} needs a whole number ≥ 1, not ${JSON.stringify(value)}`);
  return number;
}

function loadComposeFile(path: string, flags: Record<string, unknown>) {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let converted;
  try {
    converted = composeToScenario(text, {
      file: path,
      pressure: parsePressure(typeof flags.pressure === 'string' ? flags.pressure : 'hog:1g'),
      hostMemoryBytes: typeof flags.hostMemory === 'string' ? parseSize(flags.hostMemory) : undefined,
      hostEnvironment: process.env,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  for (const warning of converted.warnings) process.stderr.write(`oomlab: ${path}: ${warning}\n`);
  // Validated like any scenario file, so the same rules and messages apply.
  const scenario = parseScenario(stringifyYaml(converted.scenario), `${path} (as a scenario)`, converted.scenario.name!);
  return { file: resolve(path), scenario };
}

async function runCommand(nameOrPath: string | undefined, flags: Record<string, unknown>): Promise<number> {
  if (!nameOrPath && typeof flags.compose !== 'string') throw new UsageError('give a scenario (a name from scenarios/ or a path), or --compose FILE');
  const { file, scenario } = typeof flags.compose === 'string' ? loadComposeFile(flags.compose, flags) : loadScenarioFile(nameOrPath!);
  const mounts = readCgroupMounts();
  const host = readHostInfo(mounts);
  const plan = planScenario(scenario, { variants: asList(flags.variant), repeat: positiveInt(flags.repeat, '--repeat'), host });
  guardHost(plan, flags);
  protectHarness();
  const outDir = typeof flags.out === 'string' ? () => resolve(flags.out as string) : (runId: string) => resolve(REPORTS_DIR, plan.scenario, runId);
  return withInterrupts(async (signal) => {
    const { record, dir } = await runScenario({ ...(await scenarioRunOptions(mounts, signal, flags, scenario.engine)), plan, scenarioFile: file, outDir });
    if (typeof flags.junit === 'string') writeFileSync(resolve(flags.junit), renderJunit(record));
    process.stdout.write(`\n${summaryTable(record)}\n\nrun record: ${dir}/run.json\nreport:     ${dir}/report.html\n`);
    if (record.interrupted) return EXIT_INTERRUPTED;
    if (!record.passed) {
      process.stdout.write('some expectations did not hold\n');
      return EXIT_EXPECTATION_FAILED;
    }
    return EXIT_OK;
  });
}

/** Host-wide risks a scenario must be allowed to take. */
function guardHost(plan: ScenarioPlan, flags: Record<string, unknown>): void {
  const sysctlVariants = variantsSettingHostSysctls(plan);
  if (sysctlVariants.length > 0 && !flags.allowHostSysctl && process.env.OOMLAB_ALLOW_HOST_SYSCTL !== '1') {
    throw new UsageError(
      `${plan.scenario} sets host-wide sysctls (${[...new Set(plan.variants.flatMap((v) => Object.keys(v.hostSysctls)))].join(', ')}) in ${sysctlVariants.join(', ')}. ` +
        'Every process on this machine feels them while the run lasts (they are journaled and restored after it). ' +
        'Pass --allow-host-sysctl (or set OOMLAB_ALLOW_HOST_SYSCTL=1) to allow it.',
    );
  }
  const risky = variantsRiskingHostOom(plan);
  if (risky.length > 0 && !flags.allowHostOom) {
    throw new UsageError(
      `${plan.scenario} could push this whole machine into OOM: in ${risky.join(', ')} a container has no memory limit and there is no host.virtualHost. ` +
        'Give it a limit or a stand-in host, or pass --allow-host-oom if you mean it.',
    );
  }
}

async function scenarioRunOptions(mounts: ReturnType<typeof readCgroupMounts>, signal: AbortSignal, flags: Record<string, unknown>, scenarioEngine: EngineChoice) {
  const choice = flags.engine === undefined ? scenarioEngine : String(flags.engine);
  if (!['auto', 'docker', 'host'].includes(choice)) throw new UsageError(`--engine ${choice}: use auto, docker or host`);
  return {
    engine: await selectEngine(choice as EngineChoice, mounts, defaultStateDir()),
    mounts,
    clock: systemClock,
    progress: createProgress(process.stdout, systemClock, Boolean(flags.verbose)),
    signal,
    renderReport: renderRunReport,
    stateDir: defaultStateDir(),
  };
}

/** Ctrl-C stops the run and cleans up; a second one exits at once (the next command reaps what is left). */
async function withInterrupts(work: (signal: AbortSignal) => Promise<number>): Promise<number> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) {
      process.stderr.write(`\noomlab: second ${signal}, exiting without cleanup; the next oomlab run reaps what is left\n`);
      process.exit(EXIT_INTERRUPTED);
    }
    process.stderr.write(`\noomlab: ${signal}: stopping and removing this run's containers (again to force)\n`);
    controller.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function tuneCommand(nameOrPath: string, flags: Record<string, unknown>): Promise<number> {
  const { file, scenario } = loadScenarioFile(nameOrPath);
  if (typeof flags.container !== 'string' || typeof flags.param !== 'string' || typeof flags.range !== 'string') {
    throw new UsageError('tune needs --container NAME --param PARAM --range LOW..HIGH');
  }
  const [lowText, highText] = flags.range.split('..');
  if (!lowText || !highText) throw new UsageError(`--range ${flags.range}: write LOW..HIGH, e.g. 64m..2g`);
  const numeric = ['pidsLimit', 'oomScoreAdj', 'cpus'].includes(flags.param);
  const read = (text: string) => (numeric ? Number(text) : parseSize(text));
  const target = String(flags.target ?? 'survived');
  if (!(OUTCOMES as readonly string[]).includes(target)) throw new UsageError(`--target ${target}: not an outcome (${OUTCOMES.join(', ')})`);
  const find = flags.find === 'max' || flags.find === 'min' ? flags.find : flags.param.startsWith('arg:') ? 'max' : 'min';
  const options: TuneOptions = {
    container: flags.container,
    param: flags.param,
    range: { low: read(lowText), high: read(highText) },
    target: target as Outcome,
    repeat: positiveInt(flags.repeat, '--repeat') ?? 1,
    find,
    precision: flags.precision === undefined ? (numeric ? 1 : 4 * 1024 * 1024) : read(String(flags.precision)),
    variant: typeof flags.variant === 'string' ? flags.variant : undefined,
  };
  if (options.range.low >= options.range.high) throw new UsageError(`--range ${flags.range}: LOW must be below HIGH`);
  const margin = flags.margin === undefined ? 20 : Number(flags.margin);
  const mounts = readCgroupMounts();
  const host = readHostInfo(mounts);
  const tuneDir = typeof flags.out === 'string' ? resolve(flags.out) : resolve(REPORTS_DIR, scenario.name!, `tune-${newRunId(systemClock)}`);
  // Checked once on the first value: every probe differs only in the tuned parameter.
  guardHost(planScenario(scenarioForValue(scenario, options, options.range.high), { host }), flags);
  protectHarness();
  return withInterrupts(async (signal) => {
    let order = 0;
    const result = await tune(options, async (value) => {
      if (signal.aborted) throw new InterruptedError(String(signal.reason));
      const plan = planScenario(scenarioForValue(scenario, options, value), { host });
      const runDir = resolve(tuneDir, `probe-${++order}`);
      process.stdout.write(`probe ${order}: ${options.param} = ${value}\n`);
      const { record } = await runScenario({ ...(await scenarioRunOptions(mounts, signal, flags, scenario.engine)), plan, scenarioFile: file, outDir: () => runDir });
      if (record.interrupted) throw new InterruptedError(record.interrupted);
      const outcomes = record.variants.flatMap((v) => v.runs.flatMap((r) => r.containers.filter((c) => c.name === options.container).map((c) => c.outcome)));
      const met = outcomes.length === options.repeat && outcomes.every((outcome) => outcome === options.target);
      process.stdout.write(`probe ${order}: ${options.param} = ${value} → ${outcomes.join(', ')}${met ? ' (meets the target)' : ''}\n`);
      return { value, outcomes, met, runDir };
    });
    const recommendation = recommend(result, options.find, margin);
    mkdirSync(tuneDir, { recursive: true });
    writeFileSync(resolve(tuneDir, 'tune.json'), `${JSON.stringify({ scenario: scenario.name, options, margin, recommendation, ...result }, null, 2)}\n`);
    writeFileSync(resolve(tuneDir, 'tune.html'), renderTuneReport(scenario.name!, options, result, recommendation, margin));
    process.stdout.write(
      result.boundary === null
        ? `\nno ${options.param} in the range makes ${options.container} end ${options.target}\n`
        : `\nboundary: ${options.param} = ${result.boundary}${result.nearestFailing === null ? '' : ` (fails at ${result.nearestFailing})`}\nrecommended with a ${margin}% margin: ${recommendation}\n`,
    );
    process.stdout.write(`tuning report: ${tuneDir}/tune.html\n`);
    return result.boundary === null ? EXIT_EXPECTATION_FAILED : EXIT_OK;
  });
}

function reportCommand(paths: string[], flags: Record<string, unknown>): number {
  if (paths.length === 0) throw new UsageError('report needs at least one run directory or run.json');
  const read = (path: string) => {
    try {
      return readRunDir(path);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  };
  const runs = paths.map(read);
  const baseline = typeof flags.baseline === 'string' ? read(flags.baseline) : undefined;
  const out = resolve(typeof flags.out === 'string' ? flags.out : 'report.html');
  writeFileSync(out, renderComparisonReport(runs, { baseline }));
  process.stdout.write(`report: ${out} (${runs.length} run record(s)${baseline ? ', against a baseline' : ''})\n`);
  return EXIT_OK;
}

async function compareCommand(baselinePath: string, currentPath: string, flags: Record<string, unknown>): Promise<number> {
  const read = (path: string) => {
    try {
      return readRunDir(path).record;
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  };
  const baseline = read(baselinePath);
  const current = read(currentPath);
  const changes = compareRecords(baseline, current, flags.tolerance === undefined ? 0 : Number(flags.tolerance));
  process.stdout.write(`${formatChanges(changes, baseline, current)}\n`);
  return changes.length > 0 ? EXIT_EXPECTATION_FAILED : EXIT_OK;
}

async function restoreCommand(): Promise<number> {
  const path = journalPath(defaultStateDir());
  const journal = readJournal(path);
  if (journal && journal.pid !== process.pid && isProcessAlive(journal.pid)) {
    throw new UsageError(`oomlab pid ${journal.pid} is running and holds the host knobs; it restores them when it ends (Ctrl-C it, or kill it and run this again)`);
  }
  const report = journal ? await restoreJournal(path, journal) : null;
  process.stdout.write(report ? `restored what pid ${report.owner} changed:\n${report.restored.map((line) => `  ${line}`).join('\n')}\n` : 'no host changes to restore\n');
  if (report?.failed.length) process.stdout.write(`could not restore:\n${report.failed.map((line) => `  ${line}`).join('\n')}\n`);
  const mounts = readCgroupMounts();
  const engine = new DockerEngine({ locateCgroup: (pid) => locateProcessCgroup(mounts, pid) });
  const containers = [
    ...(await engine.reapLeftovers(isProcessAlive).catch(() => [])),
    ...(await new HostEngine(mounts, defaultStateDir()).reapLeftovers(isProcessAlive).catch(() => [])),
  ];
  const hosts = await new VirtualHosts(mounts).reapLeftovers(isProcessAlive);
  if (containers.length) process.stdout.write(`removed leftover containers: ${containers.join(', ')}\n`);
  if (hosts.length) process.stdout.write(`removed leftover stand-in host cgroups: ${hosts.join(', ')}\n`);
  return report?.failed.length ? EXIT_EXPECTATION_FAILED : EXIT_OK;
}

async function doctorCommand(): Promise<number> {
  const mounts = readCgroupMounts();
  const host = readHostInfo(mounts);
  const engine = new DockerEngine({ locateCgroup: (pid) => locateProcessCgroup(mounts, pid) });
  const info = await engine.info().catch((error: unknown) => ({ error: (error as Error).message }));
  const journal = readJournal(journalPath(defaultStateDir()));
  process.stdout.write(`${formatDoctor(doctorChecks(host, info, journal?.pid ?? null))}\n`);
  return EXIT_OK;
}

function listCommand(): number {
  const rows = shippedScenarioNames().map((name) => {
    try {
      const { scenario } = loadScenarioFile(name);
      const variants = planScenario(scenario).variants.map((v) => v.name);
      return `${name}\n    ${scenario.description ?? ''}\n    variants: ${variants.join(', ')}`;
    } catch (error) {
      return `${name}\n    (invalid: ${(error as Error).message.split('\n')[0]})`;
    }
  });
  process.stdout.write(`Scenarios in ${SCENARIO_DIR}:\n\n${rows.join('\n\n')}\n`);
  return EXIT_OK;
}

async function killsCommand(file: string | undefined, flags: Record<string, unknown>): Promise<number> {
  let text: string;
  if (file === '-' || file === '/dev/stdin') text = readFileSync(0, 'utf8');
  else if (file) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
    }
  } else text = await readKernelBuffer();
  const rows = parseKernelLog(text).map(killRow);
  process.stdout.write(flags.json ? `${JSON.stringify(flags.full ? parseKernelLog(text) : rows, null, 2)}\n` : `${formatKillTable(rows)}\n`);
  return EXIT_OK;
}

function schemaCommand(flags: Record<string, unknown>): number {
  const text = `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
  if (flags.write) {
    const path = resolve(SCENARIO_DIR, 'schema.json');
    writeFileSync(path, text);
    process.stdout.write(`wrote ${path}\n`);
  } else process.stdout.write(text);
  return EXIT_OK;
}

function planCommand(nameOrPath: string, flags: Record<string, unknown>): number {
  const { scenario } = loadScenarioFile(nameOrPath);
  const plan = planScenario(scenario, { variants: asList(flags.variant), repeat: positiveInt(flags.repeat, '--repeat') });
  process.stdout.write(`${JSON.stringify(plan.runs.map((run) => ({ variant: run.variant.name, repeat: run.repeatIndex, containers: run.variant.containers, virtualHost: run.variant.virtualHost, timeoutMs: run.variant.timeoutMs, expect: run.variant.expect })), null, 2)}\n`);
  return EXIT_OK;
}

/** The one place that turns errors into exit codes. */
export async function main(argv: string[]): Promise<number> {
  const cli = cac('oomlab');
  let action: Promise<number> | number = -1;
  cli
    .command('run [scenario]', 'run a scenario (a name from scenarios/ or a path) and record what the kernel did')
    .option('--compose <file>', 'run the services of a docker-compose file under a stand-in host, with memory pressure')
    .option('--pressure <what>', 'with --compose: hog:SIZE adds a hog growing to SIZE (default hog:1g); SERVICE names the service that grows')
    .option('--host-memory <size>', "with --compose: the stand-in host's memory (default: the services' limits added up)")
    .option('--variant <name>', 'run only this variant (repeatable)')
    .option('--repeat <n>', 'run each variant n times')
    .option('--out <dir>', 'write the run record here instead of reports/<scenario>/<run-id>')
    .option('--verbose', 'show every piece of evidence as it arrives')
    .option('--allow-host-sysctl', 'allow host.sysctls (machine-wide; journaled and restored); or OOMLAB_ALLOW_HOST_SYSCTL=1')
    .option('--allow-host-oom', 'allow containers with no limit and no stand-in host (could OOM the whole machine)')
    .option('--engine <engine>', 'auto (default: docker where it answers, else host cgroups), docker or host')
    .option('--junit <file>', 'also write JUnit XML: one testcase per variant × container expectation')
    .action((scenario: string | undefined, flags: Record<string, unknown>) => {
      action = runCommand(scenario, flags);
    });
  cli
    .command('report [...runs]', 'one self-contained HTML report comparing run records (run directories or run.json files)')
    .option('--baseline <run>', 'a run record to compare every other against')
    .option('--out <file>', 'where to write it (default report.html)')
    .action((runs: string[], flags: Record<string, unknown>) => {
      action = reportCommand(runs, flags);
    });
  cli
    .command('compare <baseline> <current>', 'exit 1 when any variant × container outcome distribution changed between two run records')
    .option('--tolerance <share>', 'ignore share changes up to this much (0..1); default 0, any change')
    .action((baseline: string, current: string, flags: Record<string, unknown>) => {
      action = compareCommand(baseline, current, flags);
    });
  cli
    .command('tune <scenario>', 'bisect for the smallest limit (or largest argument) at which every repeat meets the target')
    .option('--container <name>', 'the container whose parameter is searched')
    .option('--param <param>', 'memory, memorySwap, memoryReservation, pidsLimit, cpus, oomScoreAdj, or arg:PREFIX (arg:-Xmx, arg:--alloc)')
    .option('--range <low..high>', 'e.g. 64m..2g')
    .option('--target <outcome>', 'the outcome every repeat must have (default survived)')
    .option('--repeat <n>', 'runs per probed value (default 1)')
    .option('--find <min|max>', 'min: smallest value meeting the target (default for limits); max: largest (default for arg:)')
    .option('--precision <size>', 'stop when the boundary is known to within this (default 4m)')
    .option('--margin <percent>', 'safety margin for the recommendation (default 20)')
    .option('--variant <name>', 'start from this declared variant')
    .option('--engine <engine>', 'auto, docker or host')
    .option('--out <dir>', 'where the probes and the tuning report go')
    .option('--allow-host-sysctl', 'as for run')
    .option('--allow-host-oom', 'as for run')
    .option('--verbose', 'show every piece of evidence as it arrives')
    .action((scenario: string, flags: Record<string, unknown>) => {
      action = tuneCommand(scenario, flags);
    });
  cli.command('restore', 'undo host changes (sysctls, swap) a killed run left, and remove its containers and cgroups').action(() => {
    action = restoreCommand();
  });
  cli.command('doctor', 'what this host can do for oomlab, with a remedy for each thing it cannot').action(() => {
    action = doctorCommand();
  });
  cli.command('list', 'list the shipped scenarios').action(() => {
    action = listCommand();
  });
  cli
    .command('kills [file]', 'parse a kernel log (dmesg, dmesg -T, journalctl -k, /dev/kmsg; - for stdin) and show every OOM kill')
    .option('--json', 'one JSON object per kill')
    .option('--full', 'with --json: the whole parsed kernel report')
    .action((file: string | undefined, flags: Record<string, unknown>) => {
      action = killsCommand(file, flags);
    });
  cli
    .command('plan <scenario>', 'print the resolved runs of a scenario without running anything')
    .option('--variant <name>', 'only this variant (repeatable)')
    .option('--repeat <n>', 'repeat count')
    .action((scenario: string, flags: Record<string, unknown>) => {
      action = planCommand(scenario, flags);
    });
  cli
    .command('schema', 'print the scenario JSON schema')
    .option('--write', 'write it to scenarios/schema.json')
    .action((flags: Record<string, unknown>) => {
      action = schemaCommand(flags);
    });
  cli.help();
  try {
    // cac drops a bare `-`, the usual name for standard input.
    cli.parse(['node', 'oomlab', ...argv.map((arg) => (arg === '-' ? '/dev/stdin' : arg))], { run: false });
    if (!cli.matchedCommand) {
      if (cli.options.help) return EXIT_OK;
      cli.outputHelp();
      return argv.length === 0 ? EXIT_OK : EXIT_BAD_INPUT;
    }
    if (cli.matchedCommandName !== 'restore') {
      // A run killed with -9 cannot restore the host itself; the next command does.
      const restored = await restoreAbandoned(defaultStateDir()).catch(() => null);
      if (restored) {
        process.stderr.write(`oomlab: restored host changes left by pid ${restored.owner}: ${restored.restored.join(', ')}\n`);
        if (restored.failed.length) process.stderr.write(`oomlab: could not restore: ${restored.failed.join(', ')}\n`);
      }
    }
    await cli.runMatchedCommand();
    return await action;
  } catch (error) {
    if (error instanceof ScenarioError) process.stderr.write(`${error.message}\n`);
    else if (error instanceof EngineUnavailableError) process.stderr.write(`oomlab: ${error.message}\n${error.remedy}\n`);
    else if (error instanceof UsageError || (error as Error)?.name === 'CACError') process.stderr.write(`oomlab: ${(error as Error).message}\n`);
    else process.stderr.write(`oomlab: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    return (error as Error)?.name === 'CACError' ? EXIT_BAD_INPUT : exitCodeFor(error);
  }
}
