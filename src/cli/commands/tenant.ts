// `latchkey tenant create|update|show|list`
import type { Command } from 'commander';
import type { Tenant, TenantStatus } from '../../core/api-key.js';
import { toWire } from '../../core/time.js';
import { CLI_CONTEXT } from '../../manage/context.js';
import { nameSearch, tenantStatus } from '../arguments.js';
import type { CliContext } from '../cli-context.js';
import { CliUsageError } from '../cli-errors.js';
import { table } from '../output.js';
import { presentTenant } from '../presenters.js';

interface TenantOptions {
  name?: string;
  plan?: string;
  status?: TenantStatus;
  keyPrefix?: string;
}

function describe(tenant: Tenant): string {
  return `${tenant.id} (${tenant.name}): plan ${tenant.plan}, ${tenant.status}${tenant.keyPrefix ? `, key prefix ${tenant.keyPrefix}` : ''}`;
}

export function registerTenantCommands(program: Command, ctx: CliContext): void {
  const tenant = program.command('tenant').description('create, change and list tenants');

  tenant
    .command('create')
    .description('create a tenant (defaults: plan standard, status active)')
    .requiredOption('--name <name>', 'tenant name')
    .option('--plan <plan>', 'plan: free, standard, pro, enterprise or one of the config file')
    .option('--status <status>', 'active, pending or suspended', tenantStatus)
    .option('--key-prefix <prefix>', "prefix of this tenant's keys instead of lk (2-12 chars [a-z0-9])")
    .action(async (opts: TenantOptions & { name: string }) => {
      const made = await ctx.withServices((s) => s.tenants.create(opts, CLI_CONTEXT));
      ctx.out.result(presentTenant(made), [
        `Created tenant ${describe(made)}.`,
        `Next: npx latchkey key create --tenant ${made.id} --name <name> --env production`,
      ].join('\n'));
    });

  tenant
    .command('update')
    .description("change a tenant's name, plan, status or key prefix")
    .argument('<tenant-id>', 'tenant id')
    .option('--name <name>', 'new name')
    .option('--plan <plan>', 'new plan')
    .option('--status <status>', 'active, pending or suspended', tenantStatus)
    .option('--key-prefix <prefix>', 'new key prefix (for keys made from now on)')
    .action(async (id: string, opts: TenantOptions) => {
      if (Object.values(opts).every((v) => v === undefined)) throw new CliUsageError('tenant update needs at least one of --name, --plan, --status, --key-prefix');
      const updated = await ctx.withServices((s) => s.tenants.update(id, opts, CLI_CONTEXT));
      ctx.out.result(presentTenant(updated), `Tenant ${describe(updated)}.`);
    });

  tenant
    .command('show')
    .description('show one tenant')
    .argument('<tenant-id>', 'tenant id')
    .action(async (id: string) => {
      const found = await ctx.withServices((s) => s.tenants.get(id));
      ctx.out.result(presentTenant(found), `Tenant ${describe(found)}, created ${toWire(found.createdAt)}.`);
    });

  tenant
    .command('list')
    .description('list tenants, newest first')
    .option('--search <text>', 'only tenants whose name contains it (A-Z in any case), or whose id it is', nameSearch)
    .action(async (opts: { search?: string }) => {
      const tenants = await ctx.withServices(async (s) => {
        const all: Tenant[] = [];
        let cursor: string | undefined;
        do {
          const page = await s.tenants.list({ limit: 100, cursor }, { search: opts.search });
          all.push(...page.data);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return all;
      });
      const rows = tenants.map((t) => [t.id, t.name, t.plan, t.status]);
      ctx.out.result(
        { data: tenants.map(presentTenant) },
        rows.length ? table(['ID', 'NAME', 'PLAN', 'STATUS'], rows) : opts.search?.trim() ? 'No tenants match.' : 'No tenants yet: npx latchkey tenant create --name <name>',
      );
    });
}
