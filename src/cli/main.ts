import { cac } from 'cac';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { systemClock } from '../clock/clock.ts';
import { DockerEngine } from '../engine/docker/docker-engine.ts';
import { EXIT_BAD_INPUT, EXIT_EXPECTATION_FAILED, EXIT_INTERRUPTED, EXIT_OK, EngineUnavailableError, ScenarioError, UsageError, exitCodeFor } from '../errors/errors.ts';
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
import { variantsRiskingHostOom, variantsSettingHostSysctls } from '../plan/plan.ts';

function loadScenarioFile(nameOrPath: string) {
  const file = resolveScenarioFile(nameOrPath);
  const display = file.startsWith(`${process.cwd()}/`) ? file.slice(process.cwd().length + 1) : file;
  const resolveCompose = (compose: { file: string; pressure: string; hostMemory?: string | number }) => {
    const composeFile = resolve(dirname(file), compose.file);
    const converted = composeToScenario(readFileSync(composeFile, 'utf8'), {
      file: composeFile,
      pressure: parsePressure(compose.pressure),
      hostMemoryBytes: compose.hostMemory === undefined ? undefined : parseSize(compose.hostMemory),
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
  protectHarness();
  const engine = new DockerEngine({ locateCgroup: (pid) => locateProcessCgroup(mounts, pid) });
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
    const progress = createProgress(process.stdout, systemClock, Boolean(flags.verbose));
    const outDir = typeof flags.out === 'string' ? () => resolve(flags.out as string) : (runId: string) => resolve(REPORTS_DIR, plan.scenario, runId);
    const { record, dir } = await runScenario({
      plan,
      scenarioFile: file,
      engine,
      mounts,
      clock: systemClock,
      outDir,
      progress,
      signal: controller.signal,
      renderReport: renderRunReport,
      stateDir: defaultStateDir(),
    });
    process.stdout.write(`\n${summaryTable(record)}\n\nrun record: ${dir}/run.json\nreport:     ${dir}/report.html\n`);
    if (record.interrupted) return EXIT_INTERRUPTED;
    if (!record.passed) {
      process.stdout.write('some expectations did not hold\n');
      return EXIT_EXPECTATION_FAILED;
    }
    return EXIT_OK;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
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
  const containers = await engine.reapLeftovers(isProcessAlive).catch(() => []);
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
    .action((scenario: string | undefined, flags: Record<string, unknown>) => {
      action = runCommand(scenario, flags);
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
