// The service's `invalid_request` about values typed on the command line, as the usage error (exit 2) it is.
import type { Command, Option } from 'commander';
import type { LatchkeyError } from '../core/errors.js';
import { CliUsageError, type OptionProblem } from './cli-errors.js';

/** The options behind an API field, where they are not simply the field in kebab case (`key_prefix`, `email`). */
const OPTIONS_OF_FIELD: Record<string, readonly string[]> = {
  scopes: ['--scope'],
  allowed_ips: ['--allow-ip'],
  customer_ids: ['--customer'],
  'rate_limit.requests_per_minute': ['--rpm'],
  'rate_limit.burst': ['--burst'],
  // "the plan has no M2M API access": said of whichever of the two was given.
  rate_limit: ['--rpm', '--burst'],
  expires_at: ['--expires'],
};

/**
 * `error` as a usage error naming the options, with the service's reasons, when each field it names is an option
 * given on the command line of `command`. Otherwise `undefined`: the request failed for something the user did
 * not type (a default, a stored value), which is the command failing (exit 1), not a bad argument.
 * @example usageErrorFor(invalidRequest([{ field: 'scopes', message: '"BAD" is not a scope like "sites:read"' }]), keyCreate)
 * // option '--scope <scope>': "BAD" is not a scope like "sites:read"
 */
export function usageErrorFor(error: LatchkeyError, command: Command): CliUsageError | undefined {
  if (error.code !== 'invalid_request' || !error.fields || error.fields.length === 0) return undefined;
  const problems: (OptionProblem & { flags: string })[] = [];
  for (const { field, message } of error.fields) {
    const option = givenOption(command, OPTIONS_OF_FIELD[field] ?? [`--${field.replaceAll('_', '-')}`]);
    if (!option?.long) return undefined;
    problems.push({ field: option.long, flags: option.flags, message });
  }
  return new CliUsageError(
    problems.map((p) => `option '${p.flags}': ${p.message}`).join('; '),
    problems.map(({ field, message }) => ({ field, message })),
  );
}

/** The first of `names` that `command` has and that was given on its command line (not a default). */
function givenOption(command: Command, names: readonly string[]): Option | undefined {
  return command.options.find((o) => o.long !== undefined && names.includes(o.long) && command.getOptionValueSource(o.attributeName()) === 'cli');
}

/**
 * The option a parse error of commander names, as `--json` lists it in `fields`, or `undefined` when it names none
 * (too many arguments, say). Read from its message, the only place commander gives the option.
 * @example optionProblemOf("error: option '--env <environment>' argument 'prod' is invalid. Use one of production, staging, development.")
 * // { field: '--env', message: "'prod' is invalid. Use one of production, staging, development." }
 */
export function optionProblemOf(message: string): OptionProblem | undefined {
  const invalid = /^(?:error: )?option '(--[\w-]+)[^']*' argument (.*)$/.exec(message);
  if (invalid) return { field: invalid[1]!, message: invalid[2]! === 'missing' ? 'needs a value' : invalid[2]! };
  const required = /^(?:error: )?required option '(--[\w-]+)[^']*' not specified$/.exec(message);
  if (required) return { field: required[1]!, message: 'is required' };
  const unknown = /^(?:error: )?unknown option '(-{1,2}[^'\s=]+)[^']*'/.exec(message);
  if (unknown) return { field: unknown[1]!, message: 'is not an option of this command' };
  return undefined;
}

