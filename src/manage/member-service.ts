// Tenant members: users by e-mail with one role per tenant.
import { normalizeEmail } from '../core/email.js';
import { invalidRequest, LatchkeyError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { controlCharacterProblem } from '../core/names.js';
import { containsSecret, SECRET_IN_FIELD } from '../core/redaction.js';
import { toStored } from '../core/time.js';
import type { Member, MemberStore, Role } from '../store/member-store.js';
import type { Page, PageRequest } from '../store/pagination.js';
import type { TenantStore } from '../store/tenant-store.js';
import type { AuditLog } from './audit-log.js';
import type { ActionContext, Clock } from './context.js';

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;

export class MemberService {
  constructor(
    private readonly members: MemberStore,
    private readonly tenants: TenantStore,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    /** Operator addresses (LATCHKEY_ADMIN_EMAILS, or admin@localhost on a first run): their phones are not a tenant's to set. */
    private readonly operatorEmails: ReadonlySet<string> = new Set(),
  ) {}

  /**
   * Whether the person's phone is theirs beyond this tenant (they belong to other tenants, or are an operator): a
   * tenant's owners and admins may then neither set it nor see it whole.
   */
  phoneBeyondTenant(member: Member): boolean {
    return member.inOtherTenants || this.operatorEmails.has(member.user.email);
  }

  async add(tenantId: string, input: { email: string; role: Role; phone?: string | undefined }, ctx: ActionContext): Promise<Member> {
    await this.requireTenant(tenantId);
    const email = normalizeEmail(input.email);
    const errors = [];
    if (!EMAIL.test(email) || email.length > 254 || controlCharacterProblem(email) !== undefined) errors.push({ field: 'email', message: 'must be an e-mail address' });
    else if (containsSecret(email)) errors.push({ field: 'email', message: SECRET_IN_FIELD });
    if (input.phone !== undefined && !E164.test(input.phone)) errors.push({ field: 'phone', message: 'must be in E.164 form, such as +14155550100' });
    if (errors.length > 0) throw invalidRequest(errors);
    if (input.role === 'owner') await this.requireOwner(tenantId, ctx, 'make someone an owner');

    const now = toStored(this.clock.now());
    const user = await this.members.findOrInsertUser({ id: newId('usr'), email, phone: input.phone ?? null, createdAt: now });
    // Checked and added under the tenant's lock: the same address added twice at once is one member and a 409.
    await this.members.withTenantLock(tenantId, async (members) => {
      if (await members.findMember(tenantId, user.id)) throw new LatchkeyError('conflict', `${email} is already a member of this tenant; change the role instead.`);
      // Checked even when the phone is the stored one: else the answer would tell whether a guess was right.
      if (input.phone !== undefined) {
        await this.requireOwnPhone(members, tenantId, user.id, email, ctx);
        if (input.phone !== user.phone) await members.updateUserPhone(user.id, input.phone);
      }
      await members.insertMembership(tenantId, user.id, input.role, now);
    });
    await this.audit.record(ctx, tenantId, 'member.added', { type: 'user', id: user.id }, { email, role: input.role });
    return this.get(tenantId, user.id);
  }

  async get(tenantId: string, userId: string): Promise<Member> {
    const member = await this.members.findMember(tenantId, userId);
    if (!member) throw new LatchkeyError('not_found', `No member ${userId} in tenant ${tenantId}.`);
    return member;
  }

  async list(tenantId: string): Promise<Member[]> {
    await this.requireTenant(tenantId);
    return this.members.listMembers(tenantId);
  }

  async page(tenantId: string, page: PageRequest): Promise<Page<Member>> {
    await this.requireTenant(tenantId);
    return this.members.pageMembers(tenantId, page);
  }

  async update(tenantId: string, userId: string, input: { role?: Role | undefined; phone?: string | null | undefined }, ctx: ActionContext): Promise<Member> {
    const member = await this.get(tenantId, userId);
    if (member.role === 'owner') await this.requireOwner(tenantId, ctx, "change an owner's role or phone");
    if (input.role === 'owner' && member.role !== 'owner') await this.requireOwner(tenantId, ctx, 'make someone an owner');
    if (input.phone !== undefined && input.phone !== null && !E164.test(input.phone)) {
      throw invalidRequest([{ field: 'phone', message: 'must be in E.164 form, such as +14155550100' }]);
    }
    // Before anything changes: a refused phone leaves the role as it was too. Clearing a phone sends codes nowhere
    // new (step-up falls back to e-mail), so any tenant of the person may.
    if (input.phone !== undefined && input.phone !== null) await this.requireOwnPhone(this.members, tenantId, userId, member.user.email, ctx);
    const roleChanged = input.role !== undefined && input.role !== member.role;
    if (input.role !== undefined && roleChanged) {
      const role = input.role;
      await this.members.withTenantLock(tenantId, async (members) => {
        await keepAnOwner(members, tenantId, userId, 'demote the last owner');
        await members.updateRole(tenantId, userId, role, toStored(this.clock.now()));
      });
    }
    const phoneChanged = input.phone !== undefined && input.phone !== member.user.phone;
    if (phoneChanged) await this.members.updateUserPhone(userId, input.phone ?? null);
    // What changed, and only that: a PATCH that changes nothing is no event.
    if (roleChanged || phoneChanged) {
      await this.audit.record(ctx, tenantId, 'member.updated', { type: 'user', id: userId }, {
        ...(roleChanged ? { role: { from: member.role, to: input.role } } : {}),
        // Whether, never the number.
        ...(phoneChanged ? { phone: input.phone === null ? 'cleared' : 'set' } : {}),
      });
    }
    return this.get(tenantId, userId);
  }

  async remove(tenantId: string, userId: string, ctx: ActionContext): Promise<void> {
    const member = await this.get(tenantId, userId);
    if (member.role === 'owner') await this.requireOwner(tenantId, ctx, 'remove an owner');
    await this.members.withTenantLock(tenantId, async (members) => {
      await keepAnOwner(members, tenantId, userId, 'remove the last owner');
      await members.deleteMembership(tenantId, userId);
    });
    await this.audit.record(ctx, tenantId, 'member.removed', { type: 'user', id: userId }, { email: member.user.email, role: member.role });
  }

  /**
   * Owners are made, changed and removed by owners (and operators) only: an admin cannot hand out the top role,
   * nor demote, remove or take the step-up phone of the people above them. The caller's role is read here, from
   * storage, like every role check.
   */
  private async requireOwner(tenantId: string, ctx: ActionContext, what: string): Promise<void> {
    if (ctx.operator) return;
    const caller = ctx.actor.type === 'user' && ctx.actor.id !== null ? await this.members.findMember(tenantId, ctx.actor.id) : undefined;
    if (caller?.role === 'owner') return;
    throw new LatchkeyError('forbidden', `Only an owner of this tenant can ${what}.`);
  }

  /**
   * A user's phone is theirs, across tenants: it receives their step-up codes. A tenant's owners and admins may set
   * it only for someone who belongs to no other tenant and is no operator; else only an operator may (403
   * `forbidden`); any of them may clear it. `members` may be a transaction's store. The answer is the same for both
   * reasons, so that it does not tell a tenant which addresses are operators'.
   */
  private async requireOwnPhone(members: MemberStore, tenantId: string, userId: string, email: string, ctx: ActionContext): Promise<void> {
    if (ctx.operator) return;
    const elsewhere = this.operatorEmails.has(email) || (await members.membershipsOf(userId)).some((m) => m.tenantId !== tenantId);
    if (elsewhere) throw new LatchkeyError('forbidden', "This person's phone receives their step-up codes beyond this tenant (they belong to other tenants, or run this server): only an operator can change it.");
  }

  private async requireTenant(tenantId: string): Promise<void> {
    if (!(await this.tenants.find(tenantId))) throw new LatchkeyError('not_found', `No tenant ${tenantId}.`);
  }
}

/**
 * Refuses to take the owner role from the tenant's last owner. Run under the tenant's lock with the member read
 * there, so that two owners demoted at once cannot both pass.
 */
async function keepAnOwner(members: MemberStore, tenantId: string, userId: string, what: string): Promise<void> {
  const member = await members.findMember(tenantId, userId);
  if (member?.role === 'owner' && (await members.countOwners(tenantId)) <= 1) {
    throw new LatchkeyError('conflict', `Cannot ${what} of a tenant; make another member owner first.`);
  }
}
