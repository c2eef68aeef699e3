/** One problem in an input file, located as `file:line:col path: message`. */
export interface Problem {
  file: string;
  line: number;
  col: number;
  path: string;
  message: string;
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}:${problem.col} ${problem.path}: ${problem.message}`;
}

/** Bad command-line usage or a bad input that is not a scenario file. Exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A scenario file that failed to load or validate. Exit code 2; nothing was started. */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

/** No container engine answered. Exit code 3. */
export class EngineUnavailableError extends Error {
  override name = 'EngineUnavailableError';
  constructor(message: string, readonly remedy: string) {
    super(message);
  }
}

/** The run was interrupted by a signal; cleanup has run. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
  constructor(readonly signal: string) {
    super(`interrupted by ${signal}`);
  }
}

export const EXIT_OK = 0;
export const EXIT_EXPECTATION_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_NO_ENGINE = 3;
export const EXIT_INTERRUPTED = 130;

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError || error instanceof ScenarioError) return EXIT_BAD_INPUT;
  if (error instanceof EngineUnavailableError) return EXIT_NO_ENGINE;
  if (error instanceof InterruptedError) return EXIT_INTERRUPTED;
  return EXIT_EXPECTATION_FAILED;
}
