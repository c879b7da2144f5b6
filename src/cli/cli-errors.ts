// Failures a command raises itself; main turns them (and every other error) into one line and an exit code.

/** A bad argument found by a command after parsing (exit code 2, like commander's own). */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

/** A command that ran and failed for a reason it explains itself (exit code 1). */
export class CliFailure extends Error {
  override name = 'CliFailure';
  constructor(readonly code: string, message: string) {
    super(message);
  }
}
