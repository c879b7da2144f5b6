// `latchkey member add|list`: the dashboard users of a tenant.
import type { Command } from 'commander';
import { CLI_CONTEXT } from '../../manage/context.js';
import type { Role } from '../../store/member-store.js';
import { role } from '../arguments.js';
import type { CliContext } from '../cli-context.js';
import { orDash, table } from '../output.js';
import { presentMember } from '../presenters.js';

export function registerMemberCommands(program: Command, ctx: CliContext): void {
  const member = program.command('member').description('tenant members (dashboard users)');

  member
    .command('add')
    .description('add a user by e-mail to a tenant with a role; they sign in to the dashboard with a code sent there')
    .requiredOption('--tenant <tenant-id>', 'tenant id')
    .requiredOption('--email <email>', 'e-mail address')
    .requiredOption('--role <role>', 'owner, admin, developer or viewer', role)
    .option('--phone <phone>', 'phone in E.164 form (+14155550100), where WhatsApp codes go')
    .action(async (opts: { tenant: string; email: string; role: Role; phone?: string }) => {
      const added = await ctx.withServices((s) => s.members.add(opts.tenant, { email: opts.email, role: opts.role, phone: opts.phone }, CLI_CONTEXT));
      ctx.out.result(presentMember(added), `Added ${added.user.email} to ${opts.tenant} as ${added.role} (user ${added.user.id}).`);
    });

  member
    .command('list')
    .description("list a tenant's members")
    .requiredOption('--tenant <tenant-id>', 'tenant id')
    .action(async (opts: { tenant: string }) => {
      const members = await ctx.withServices((s) => s.members.list(opts.tenant));
      const rows = members.map((m) => [m.user.id, m.user.email, m.role, orDash(m.user.phone)]);
      ctx.out.result({ data: members.map((member) => presentMember(member)) }, rows.length ? table(['USER', 'EMAIL', 'ROLE', 'PHONE'], rows) : 'No members yet.');
    });
}
