// The `latchkey` command: parses arguments, runs one command, turns every failure into one line and an exit code.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.js';
import { LatchkeyError } from '../core/errors.js';
import { CliContext, type CliIo } from './cli-context.js';
import { CliFailure, CliUsageError } from './cli-errors.js';
import { registerBackupCommand } from './commands/backup.js';
import { registerCheckCommand } from './commands/check.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerKeyCommands } from './commands/key.js';
import { registerMemberCommands } from './commands/member.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerRootTokenCommands } from './commands/root-token.js';
import { registerServeCommand } from './commands/serve.js';
import { registerTenantCommands } from './commands/tenant.js';
import { optionProblemOf, usageErrorFor } from './option-errors.js';
import { Output } from './output.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const HELP_FOOTER = `
Every command takes --json: the result is then one JSON document on stdout, and a
failure is {"error": {"code", "details"[, "fields"]}} on stderr.
Exit codes: 0 done, 1 the command failed, 2 bad arguments (a value the service refuses too).
The CLI works on the database named by LATCHKEY_DATABASE_URL (default sqlite:./data/latchkey.db);
running servers on that database see its changes within 5 seconds.`;

/**
 * Runs `latchkey` with `argv` as process.argv gives it (node, script, args...) and returns the exit code.
 * @example process.exitCode = await main(process.argv);
 */
export async function main(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  const fullIo: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, ...io };
  // `latchkey … | head` closes the pipe before all is written: what is left has no reader, which is no failure.
  if (fullIo.stdout === process.stdout && process.stdout.listenerCount('error') === 0) process.stdout.on('error', ignoreClosedPipe);
  const program = new Command('latchkey');
  const out = new Output(fullIo.stdout, fullIo.stderr, () => Boolean(program.opts<{ json?: boolean }>().json) || argv.includes('--json'));
  program
    .description('Latchkey: API-key management and machine-to-machine authentication')
    // Not commander's .version(), which prints the bare version even with --json.
    .option('-V, --version', 'output the version number')
    .option('--json', 'machine-readable output (JSON on stdout; errors as JSON on stderr)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => fullIo.stdout.write(text),
      // Help asked for by a mistake (no command) goes to stderr; with --json, the catch prints JSON instead.
      writeErr: (text) => (out.json() ? undefined : fullIo.stderr.write(text)),
      // Commander's parse errors are printed by the catch below, as our one line.
      outputError: () => {},
    })
    .configureHelp({ showGlobalOptions: true })
    .addHelpText('after', HELP_FOOTER)
    .on('option:version', () => {
      const version = packageVersion();
      out.result({ version }, version);
      throw new CommanderError(EXIT_OK, 'commander.version', version);
    });
  // The command whose action ran: a value its service refuses is judged against that command's options.
  let ran: Command | undefined;
  program.hook('preAction', (_program, actionCommand) => {
    ran = actionCommand;
  });

  const ctx = new CliContext(fullIo, out);
  for (const register of [
    registerServeCommand, registerMigrateCommand, registerTenantCommands, registerMemberCommands,
    registerKeyCommands, registerRootTokenCommands, registerCheckCommand, registerDemoCommand, registerBackupCommand,
  ]) {
    register(program, ctx);
  }

  try {
    await program.parseAsync(argv);
    return EXIT_OK;
  } catch (error) {
    const refused = error instanceof LatchkeyError && ran ? usageErrorFor(error, ran) : undefined;
    return report(refused ?? error, out, fullIo, ran ? pathOf(ran) : commandPath(program, argv));
  }
}

function ignoreClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
}

/** Every failure as one line (never a stack trace for an expected error) and its exit code. */
function report(error: unknown, out: Output, io: CliIo, command: string): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_OK;
    // No command given: commander has printed the help on stderr already (not with --json).
    if (error.code === 'commander.help') {
      // `latchkey help [command]` asked for it (exit code 0); a missing command did not.
      if (error.exitCode === 0) return EXIT_OK;
      if (out.json()) out.failure('invalid_arguments', 'no command given (see latchkey --help)');
      return EXIT_USAGE;
    }
    const problem = optionProblemOf(error.message);
    out.failure('invalid_arguments', `${error.message.replace(/^error: /, '')} (see ${command} --help)`, problem && [problem]);
    return EXIT_USAGE;
  }
  if (error instanceof CliUsageError) {
    out.failure('invalid_arguments', `${error.message} (see ${command} --help)`, error.fields);
    return EXIT_USAGE;
  }
  if (error instanceof ConfigError) {
    out.failure('invalid_config', error.message);
    return EXIT_FAILED;
  }
  if (error instanceof LatchkeyError) {
    out.failure(error.code, error.details, error.fields);
    return EXIT_FAILED;
  }
  if (error instanceof CliFailure) {
    out.failure(error.code, error.message);
    return EXIT_FAILED;
  }
  // Not expected (storage down, a bug): still one line, with the stack only when asked for. Storage out of reach
  // has the contract's code for it.
  out.failure(error instanceof Error && isConnectionError(error) ? 'unavailable' : 'failed', describeUnexpected(error));
  if (io.env.LATCHKEY_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return EXIT_FAILED;
}

/** `latchkey key create` for `... key create --bad`: where a usage error points for help. */
function commandPath(program: Command, argv: string[]): string {
  const names = ['latchkey'];
  let current = program;
  for (const word of argv.slice(2)) {
    if (word.startsWith('-')) continue;
    const next = current.commands.find((c) => c.name() === word);
    if (!next) break;
    names.push(word);
    current = next;
  }
  return names.join(' ');
}

/** `latchkey key create` for the `create` command of `key`. */
function pathOf(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function describeUnexpected(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Node's connection errors to an address with several IPs are AggregateErrors without a message.
  const inner = error instanceof AggregateError ? error.errors.find((e): e is Error => e instanceof Error) : undefined;
  const message = error.message || inner?.message || (error as { code?: string }).code || error.name;
  if (isConnectionError(error)) return `${message} (is the database of LATCHKEY_DATABASE_URL reachable?)`;
  // SQLite's own words name no file: say which setting, and what to check.
  const { code = '', syscall } = error as { code?: string; syscall?: string };
  if (/^SQLITE_(CANTOPEN|READONLY|PERM)/.test(code) || (syscall === 'mkdir' && /^(ENOTDIR|EEXIST|EACCES|EPERM|EROFS)$/.test(code))) {
    return `${message} (the SQLite file of LATCHKEY_DATABASE_URL: this user must be able to create or write it and its directory)`;
  }
  return message;
}

function isConnectionError(error: Error): boolean {
  const code = (error as { code?: string }).code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || error instanceof AggregateError;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
