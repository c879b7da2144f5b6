// `latchkey key create|list|show|update|revoke|rotate|regenerate|deactivate|activate`
import type { Command } from 'commander';
import type { ApiKey, KeyStatus } from '../../core/api-key.js';
import type { Environment } from '../../core/environments.js';
import { LatchkeyError } from '../../core/errors.js';
import type { KeySettingsInput } from '../../core/key-settings.js';
import { CLI_CONTEXT } from '../../manage/context.js';
import type { IssuedKey } from '../../manage/key-service.js';
import type { Services } from '../../services.js';
import type { KeyFilter } from '../../store/key-store.js';
import { collect, environment, expiry, gracePeriod, keyStatus, nameSearch, positiveCount } from '../arguments.js';
import type { CliContext } from '../cli-context.js';
import { CliUsageError } from '../cli-errors.js';
import { orDash, table } from '../output.js';
import { presentKey } from '../presenters.js';

interface CreateOptions {
  tenant: string;
  name: string;
  env: Environment;
  scope?: string[];
  rpm?: number;
  burst?: number;
  allowIp?: string[];
  customer?: string[];
  /** An ISO time or `never`. */
  expires?: string;
}

/** `false` where a list option was negated (`--no-scope`): the list becomes empty. */
interface UpdateOptions {
  name?: string;
  scope?: string[] | false;
  rpm?: number;
  burst?: number;
  allowIp?: string[] | false;
  customer?: string[] | false;
  expires?: string;
}

const UPDATE_OPTIONS = '--name, --scope, --no-scope, --rpm, --burst, --allow-ip, --no-allow-ip, --customer, --no-customer or --expires';

/** The settings an update's options give; `undefined` for the ones not given, which stay as they are. */
function settingsOf(opts: UpdateOptions): KeySettingsInput {
  const list = (value: string[] | false | undefined) => (value === false ? [] : value);
  return {
    name: opts.name,
    scopes: list(opts.scope),
    rateLimit: opts.rpm === undefined && opts.burst === undefined ? undefined : { requestsPerMinute: opts.rpm, burst: opts.burst },
    allowedIps: list(opts.allowIp),
    customerIds: list(opts.customer),
    expiresAt: opts.expires === undefined ? undefined : opts.expires === 'never' ? null : opts.expires,
  };
}

/** The wire names of the settings that differ between two versions of a key. */
function changedFields(before: WireKey, after: WireKey): string[] {
  const fields = ['name', 'scopes', 'rate_limit', 'allowed_ips', 'customer_ids', 'expires_at'] as const;
  return fields.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
}

const now = (): string => new Date().toISOString();

type WireKey = ReturnType<typeof presentKey>;

function summary(key: WireKey): string {
  const limit = `${key.rate_limit.requests_per_minute} rpm, burst ${key.rate_limit.burst}`;
  return [
    `  tenant ${key.tenant_id}, ${key.environment}, ${key.status}`,
    `  scopes: ${key.scopes.length ? key.scopes.join(', ') : '(none)'}; rate limit: ${limit}`,
    `  allowed IPs: ${key.allowed_ips.length ? key.allowed_ips.join(', ') : 'any'}; customers: ${key.customer_ids.length ? key.customer_ids.join(', ') : 'all'}`,
    `  expires: ${key.expires_at ?? 'never'}; key: ${key.start}…${key.end}`,
  ].join('\n');
}

/** The only place a secret is printed; the line after it says so. */
function withSecret(headline: string, issued: IssuedKey): { data: { key: WireKey; secret: string }; text: string } {
  const key = presentKey(issued.key, now());
  return {
    data: { key, secret: issued.secret },
    text: [headline, summary(key), '', `  ${issued.secret}`, '', 'This secret will not be shown again: store it now. Clients send it in the X-API-Key header.'].join('\n'),
  };
}

/** Keys are addressed by id alone on the command line; the services want the tenant too. */
async function findKey(services: Services, keyId: string): Promise<ApiKey> {
  const key = await services.keyStore.findById(keyId);
  if (!key) throw new LatchkeyError('not_found', `No key ${keyId} (see npx latchkey key list --tenant <tenant-id>).`);
  return key;
}

async function allKeys(services: Services, tenantId: string, filter: KeyFilter): Promise<ApiKey[]> {
  await services.tenants.get(tenantId);
  const all: ApiKey[] = [];
  let cursor: string | undefined;
  do {
    const page = await services.keys.list(tenantId, { limit: 100, cursor }, filter);
    all.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

export function registerKeyCommands(program: Command, ctx: CliContext): void {
  const key = program.command('key').description('create, list and change API keys');

  key
    .command('create')
    .description('create a key and print its secret once')
    .requiredOption('--tenant <tenant-id>', 'tenant id')
    .requiredOption('--name <name>', 'key name, e.g. prod-order-bot')
    .requiredOption('--env <environment>', 'production, staging or development', environment)
    .option('--scope <scope>', 'a scope such as sites:read (repeatable)', collect)
    .option('--rpm <n>', "requests per minute (default and ceiling: the tenant's plan)", positiveCount)
    .option('--burst <n>', 'bucket size (default: the rpm)', positiveCount)
    .option('--allow-ip <cidr>', 'an allowed IP or CIDR (repeatable; default any)', collect)
    .option('--customer <id>', 'a customer id the key is bound to (repeatable; default all)', collect)
    .option('--expires <time>', 'ISO time, date, or "never" (default: one year)', expiry)
    .action(async (opts: CreateOptions) => {
      const issued = await ctx.withServices((s) =>
        s.keys.create(opts.tenant, {
          name: opts.name,
          environment: opts.env,
          scopes: opts.scope,
          rateLimit: opts.rpm === undefined && opts.burst === undefined ? undefined : { requestsPerMinute: opts.rpm, burst: opts.burst },
          allowedIps: opts.allowIp,
          customerIds: opts.customer,
          expiresAt: opts.expires === 'never' ? null : opts.expires,
        }, CLI_CONTEXT),
      );
      const { data, text } = withSecret(`Created key ${issued.key.id} (${issued.key.name}).`, issued);
      ctx.out.result(data, text);
    });

  key
    .command('list')
    .description("list a tenant's keys, newest first")
    .requiredOption('--tenant <tenant-id>', 'tenant id')
    .option('--env <environment>', 'only this environment', environment)
    .option('--status <status>', 'only this status: active, inactive, expired or revoked', keyStatus)
    .option('--search <text>', 'only keys whose name contains it (A-Z in any case), or whose id it is', nameSearch)
    .action(async (opts: { tenant: string; env?: Environment; status?: KeyStatus; search?: string }) => {
      const keys = await ctx.withServices((s) => allKeys(s, opts.tenant, { environment: opts.env, status: opts.status, search: opts.search }));
      const at = now();
      const wire = keys.map((k) => presentKey(k, at));
      const rows = wire.map((k) => [k.id, k.name, k.environment, k.status, `${k.start}…${k.end}`, orDash(k.last_used_at), k.expires_at ?? 'never']);
      ctx.out.result(
        { data: wire },
        rows.length ? table(['ID', 'NAME', 'ENV', 'STATUS', 'KEY', 'LAST USED', 'EXPIRES'], rows) : `No keys${opts.env || opts.status || opts.search ? ' match' : ' yet'}.`,
      );
    });

  key
    .command('show')
    .description('show one key (never its secret)')
    .argument('<key-id>', 'key id')
    .action(async (keyId: string) => {
      const found = presentKey(await ctx.withServices((s) => findKey(s, keyId)), now());
      const lines = [`Key ${found.id} (${found.name})`, summary(found), `  last used: ${found.last_used_at ? `${found.last_used_at} from ${orDash(found.last_used_ip)}` : 'never'}`];
      if (found.rotated_from) lines.push(`  rotated from ${found.rotated_from}`);
      if (found.rotated_to) lines.push(`  rotated to ${found.rotated_to}`);
      ctx.out.result(found, lines.join('\n'));
    });

  key
    .command('update')
    .description("change a key's settings; those not given stay as they are")
    .argument('<key-id>', 'key id')
    .option('--name <name>', 'a new name')
    .option('--scope <scope>', 'a scope such as sites:read (repeatable): the key gets exactly these', collect)
    .option('--no-scope', 'remove every scope')
    .option('--rpm <n>', "requests per minute (ceiling: the tenant's plan)", positiveCount)
    .option('--burst <n>', 'bucket size', positiveCount)
    .option('--allow-ip <cidr>', 'an allowed IP or CIDR (repeatable): the key gets exactly these', collect)
    .option('--no-allow-ip', 'allow any IP again')
    .option('--customer <id>', 'a customer id (repeatable): the key gets exactly these', collect)
    .option('--no-customer', 'bind the key to all customers again')
    .option('--expires <time>', 'ISO time, date, or "never"', expiry)
    .action(async (keyId: string, opts: UpdateOptions) => {
      const settings = settingsOf(opts);
      if (Object.values(settings).every((v) => v === undefined)) throw new CliUsageError(`Nothing to change: give ${UPDATE_OPTIONS}.`);
      const { before, after } = await ctx.withServices(async (s) => {
        const found = await findKey(s, keyId);
        return { before: found, after: await s.keys.update(found.tenantId, keyId, settings, CLI_CONTEXT) };
      });
      const at = now();
      const key = presentKey(after, at);
      const changed = changedFields(presentKey(before, at), key);
      const headline = changed.length > 0
        ? `Updated key ${key.id} (${key.name}): ${changed.join(', ')}. Running servers apply it within 5 seconds.`
        : `Key ${key.id} (${key.name}) already had these settings; nothing changed.`;
      ctx.out.result(key, [headline, summary(key)].join('\n'));
    });

  key
    .command('revoke')
    .description('revoke a key for good (running servers refuse it within 5 seconds)')
    .argument('<key-id>', 'key id')
    .action(async (keyId: string) => {
      const revoked = await ctx.withServices(async (s) => s.keys.revoke((await findKey(s, keyId)).tenantId, keyId, CLI_CONTEXT));
      ctx.out.result(presentKey(revoked, now()), `Revoked key ${revoked.id} (${revoked.name}). Running servers refuse it within 5 seconds.`);
    });

  key
    .command('rotate')
    .description('make a new key with the same settings; the old one works until revoked or the grace period ends')
    .argument('<key-id>', 'key id')
    .option('--grace <seconds>', 'seconds the old key keeps working, up to a year (default: until revoked)', gracePeriod)
    .action(async (keyId: string, opts: { grace?: number }) => {
      const rotated = await ctx.withServices(async (s) => s.keys.rotate((await findKey(s, keyId)).tenantId, keyId, opts.grace, CLI_CONTEXT));
      const { data, text } = withSecret(`Rotated ${keyId} into key ${rotated.key.id} (${rotated.key.name}).`, rotated);
      const previous = presentKey(rotated.previous, now());
      const until = previous.expires_at ? `until ${previous.expires_at} or until you revoke it` : 'until you revoke it';
      ctx.out.result({ ...data, previous }, `${text}\nThe old key ${keyId} keeps working ${until}.`);
    });

  key
    .command('regenerate')
    .description('give a key a new secret (same id and settings); the old secret stops at once')
    .argument('<key-id>', 'key id')
    .action(async (keyId: string) => {
      const issued = await ctx.withServices(async (s) => s.keys.regenerate((await findKey(s, keyId)).tenantId, keyId, CLI_CONTEXT));
      const { data, text } = withSecret(`Regenerated key ${issued.key.id} (${issued.key.name}); the old secret no longer works.`, issued);
      ctx.out.result(data, text);
    });

  for (const [verb, done] of [['deactivate', 'Deactivated'], ['activate', 'Activated']] as const) {
    key
      .command(verb)
      .description(verb === 'deactivate' ? 'stop a key for now (activate brings it back)' : 'let a deactivated key work again')
      .argument('<key-id>', 'key id')
      .action(async (keyId: string) => {
        const changed = await ctx.withServices(async (s) => s.keys[verb]((await findKey(s, keyId)).tenantId, keyId, CLI_CONTEXT));
        ctx.out.result(presentKey(changed, now()), `${done} key ${changed.id} (${changed.name}).`);
      });
  }
}
