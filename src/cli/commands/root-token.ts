// `latchkey root-token create`: operator tokens for the management API, printed once.
import type { Command } from 'commander';
import { toWire } from '../../core/time.js';
import type { CliContext } from '../cli-context.js';
import { CliUsageError } from '../cli-errors.js';

export function registerRootTokenCommands(program: Command, ctx: CliContext): void {
  program
    .command('root-token')
    .description('operator tokens for the management API')
    .command('create')
    .description('create a root token (printed once; storage keeps only its digest)')
    .requiredOption('--name <name>', 'what the token is for, e.g. deploy-pipeline')
    .action(async (opts: { name: string }) => {
      const name = opts.name.trim();
      if (name.length === 0 || name.length > 100) throw new CliUsageError("option '--name <name>' must be 1-100 characters");
      const made = await ctx.withServices((s) => s.rootTokens.create(name));
      ctx.out.result(
        { id: made.id, name: made.name, token: made.token, created_at: toWire(made.createdAt) },
        [
          `Created root token ${made.id} (${made.name}):`,
          '',
          `  ${made.token}`,
          '',
          'This token will not be shown again: store it now. Send it as Authorization: Bearer <token> to the management API (/v1).',
        ].join('\n'),
      );
    });
}
