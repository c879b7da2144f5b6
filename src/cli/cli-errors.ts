// Failures a command raises itself; main turns them (and every other error) into one line and an exit code.

/** One bad option in a usage error, as `--json` lists it in `fields`: `{ field: '--scope', message }`. */
export interface OptionProblem {
  field: string;
  message: string;
}

/** A bad argument found after parsing, by a command or by the service it called (exit code 2, like commander's own). */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
  constructor(message: string, readonly fields?: OptionProblem[]) {
    super(message);
  }
}

/** A command that ran and failed for a reason it explains itself (exit code 1). */
export class CliFailure extends Error {
  override name = 'CliFailure';
  constructor(readonly code: string, message: string) {
    super(message);
  }
}
