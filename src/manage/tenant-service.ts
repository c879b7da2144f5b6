// Creating, reading and changing tenants (operator actions).
import type { Tenant, TenantStatus } from '../core/api-key.js';
import { invalidRequest, LatchkeyError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { KEY_PREFIX_PATTERN } from '../core/key-format.js';
import { characterCount, controlCharacterProblem } from '../core/names.js';
import { containsSecret, SECRET_IN_FIELD } from '../core/redaction.js';
import { DEFAULT_PLAN, type PlanCatalog } from '../core/plans.js';
import { toStored } from '../core/time.js';
import type { Page, PageRequest } from '../store/pagination.js';
import type { TenantFilter, TenantStore } from '../store/tenant-store.js';
import type { AuditLog } from './audit-log.js';
import type { ChangeNotifier } from './change-notifier.js';
import type { ActionContext, Clock } from './context.js';

export interface TenantInput {
  name?: string | undefined;
  plan?: string | undefined;
  status?: TenantStatus | undefined;
  keyPrefix?: string | null | undefined;
}

export class TenantService {
  constructor(
    private readonly tenants: TenantStore,
    private readonly plans: PlanCatalog,
    private readonly audit: AuditLog,
    private readonly notifier: ChangeNotifier,
    private readonly clock: Clock,
  ) {}

  async create(input: TenantInput & { name: string }, ctx: ActionContext): Promise<Tenant> {
    this.check(input);
    const now = toStored(this.clock.now());
    const tenant: Tenant = {
      id: newId('ten'),
      name: input.name.trim(),
      plan: input.plan ?? DEFAULT_PLAN,
      status: input.status ?? 'active',
      keyPrefix: input.keyPrefix ?? null,
      createdAt: now,
      updatedAt: now,
    };
    await this.tenants.insert(tenant);
    await this.audit.record(ctx, tenant.id, 'tenant.created', { type: 'tenant', id: tenant.id }, { name: tenant.name, plan: tenant.plan, status: tenant.status });
    return tenant;
  }

  /** The tenant, or `404 not_found`. */
  async get(id: string): Promise<Tenant> {
    const tenant = await this.tenants.find(id);
    if (!tenant) throw new LatchkeyError('not_found', `No tenant ${id}.`);
    return tenant;
  }

  /** Newest first; `filter.ids` (a member's tenants) and `filter.search` (name or id) narrow the list. */
  async list(page: PageRequest, filter: TenantFilter = {}): Promise<Page<Tenant>> {
    return this.tenants.list(page, filter);
  }

  async update(id: string, input: TenantInput, ctx: ActionContext): Promise<Tenant> {
    const before = await this.get(id);
    this.check(input);
    const changes: Record<string, unknown> = {};
    for (const field of ['name', 'plan', 'status', 'keyPrefix'] as const) {
      const value = field === 'name' ? input.name?.trim() : input[field];
      if (value !== undefined && value !== before[field]) changes[field] = value;
    }
    if (Object.keys(changes).length === 0) return before;
    // The change, its audit entry and its change-feed row commit together; then the caches are told.
    await this.tenants.withLock(id, async (tenants, tx) => {
      await tenants.update(id, changes, toStored(this.clock.now()));
      await this.audit.in(tx).record(ctx, id, 'tenant.updated', { type: 'tenant', id }, {
        // Named as the API names the fields (`key_prefix`), since that is where a reader of the log meets them.
        changes: Object.fromEntries(Object.entries(changes).map(([k, v]) => [k === 'keyPrefix' ? 'key_prefix' : k, { from: before[k as keyof Tenant], to: v }])),
      });
      await this.notifier.writeFeedRow(tx, { kind: 'tenant', id });
    });
    await this.notifier.announce({ kind: 'tenant', id });
    return this.get(id);
  }

  private check(input: TenantInput): void {
    const errors = [];
    if (input.name !== undefined && (input.name.trim().length === 0 || characterCount(input.name) > 200)) errors.push({ field: 'name', message: 'must be 1-200 characters' });
    const nameProblem = input.name === undefined ? undefined : controlCharacterProblem(input.name);
    if (nameProblem) errors.push({ field: 'name', message: nameProblem });
    if (input.name !== undefined && containsSecret(input.name)) errors.push({ field: 'name', message: SECRET_IN_FIELD });
    if (input.plan !== undefined && !this.plans.get(input.plan)) errors.push({ field: 'plan', message: `must be one of ${this.plans.names().join(', ')}` });
    if (input.keyPrefix && !KEY_PREFIX_PATTERN.test(input.keyPrefix)) errors.push({ field: 'key_prefix', message: 'must be 2-12 characters [a-z0-9] starting with a letter' });
    if (errors.length > 0) throw invalidRequest(errors);
  }
}
