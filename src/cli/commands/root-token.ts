// `latchkey root-token create | list | revoke`: operator tokens for the management API, printed once.
import type { Command } from 'commander';
import { invalidRequest } from '../../core/errors.js';
import { characterCount } from '../../core/names.js';
import { toWire } from '../../core/time.js';
import type { RootTokenRecord } from '../../store/root-token-store.js';
import type { CliContext } from '../cli-context.js';
import { orDash, table } from '../output.js';

export function registerRootTokenCommands(program: Command, ctx: CliContext): void {
  const rootToken = program.command('root-token').description('operator tokens for the management API');

  rootToken
    .command('list')
    .description('list the tokens made with root-token create (never the tokens themselves), revoked ones included')
    .action(async () => {
      const tokens = await ctx.withServices((s) => s.rootTokens.list());
      const wire = tokens.map(presentRootToken);
      const text =
        wire.length === 0
          ? 'No root tokens yet (LATCHKEY_ROOT_TOKEN, when set, is configuration, not a stored token).'
          : table(['ID', 'NAME', 'ACCESS', 'CREATED', 'LAST USED', 'REVOKED'], wire.map((t) => [t.id, t.name, t.access, t.created_at, orDash(t.last_used_at), orDash(t.revoked_at)]));
      ctx.out.result({ data: wire }, text);
    });

  rootToken
    .command('revoke')
    .description('revoke a token: calls with it are refused (401) within a second on every server')
    .argument('<token-id>', 'the rtk_… id that root-token list shows')
    .action(async (id: string) => {
      const revoked = await ctx.withServices((s) => s.rootTokens.revoke(id));
      ctx.out.result(presentRootToken(revoked), `Revoked root token ${revoked.id} (${revoked.name}); running servers refuse calls with it within a second.`);
    });

  rootToken
    .command('create')
    .description('create a root token (printed once; storage keeps only its digest)')
    .requiredOption('--name <name>', 'what the token is for, e.g. deploy-pipeline')
    .option('--verify-only', 'a token that may call POST /v1/keys/verify and nothing else: for a service using the SDK')
    .action(async (opts: { name: string; verifyOnly?: boolean }) => {
      const name = opts.name.trim();
      // Refused as the services refuse a tenant's or key's name, so main reports it the same way (exit 2, naming --name).
      if (name.length === 0 || characterCount(name) > 100) throw invalidRequest([{ field: 'name', message: 'must be 1-100 characters' }]);
      const made = await ctx.withServices((s) => s.rootTokens.create(name, opts.verifyOnly ? 'verify' : 'full'));
      ctx.out.result(
        { id: made.id, name: made.name, access: made.access, token: made.token, created_at: toWire(made.createdAt) },
        [
          `Created ${made.access === 'verify' ? 'verify-only ' : ''}root token ${made.id} (${made.name}):`,
          '',
          `  ${made.token}`,
          '',
          made.access === 'verify'
            ? 'This token will not be shown again: store it now. It may only verify keys (POST /v1/keys/verify, as the SDK does).'
            : 'This token will not be shown again: store it now. Send it as Authorization: Bearer <token> to the management API (/v1).',
        ].join('\n'),
      );
    });
}

function presentRootToken(token: RootTokenRecord) {
  return { id: token.id, name: token.name, access: token.access, created_at: toWire(token.createdAt), last_used_at: token.lastUsedAt && toWire(token.lastUsedAt), revoked_at: token.revokedAt && toWire(token.revokedAt) };
}
