// The lifecycle of API keys: create, update, deactivate/activate, revoke, regenerate, rotate, expire.
import { type ApiKey, effectiveStatus, type KeyStatus, type Tenant } from '../core/api-key.js';
import { sha256Hex } from '../core/digest.js';
import type { Environment } from '../core/environments.js';
import { invalidRequest, LatchkeyError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { generateKey, keyHint } from '../core/key-format.js';
import { type KeySettings, type KeySettingsInput, resolveKeySettings } from '../core/key-settings.js';
import { keyVersion } from '../core/key-version.js';
import type { Plan, PlanCatalog } from '../core/plans.js';
import { LATEST_STORABLE_MS, toStored } from '../core/time.js';
import type { AuditAction } from '../store/audit-store.js';
import type { KeyFilter, KeyStore } from '../store/key-store.js';
import type { Page, PageRequest } from '../store/pagination.js';
import type { TenantStore } from '../store/tenant-store.js';
import type { AuditLog } from './audit-log.js';
import type { ChangeNotifier } from './change-notifier.js';
import type { ActionContext, Clock } from './context.js';

export interface CreateKeyInput extends KeySettingsInput {
  name: string;
  environment: Environment;
}

/** A key with its secret: the only moment the secret exists outside the client. */
export interface IssuedKey {
  key: ApiKey;
  secret: string;
}

export class KeyService {
  constructor(
    private readonly keys: KeyStore,
    private readonly tenants: TenantStore,
    private readonly plans: PlanCatalog,
    private readonly audit: AuditLog,
    private readonly notifier: ChangeNotifier,
    private readonly clock: Clock,
    private readonly defaultPrefix: string,
  ) {}

  async create(tenantId: string, input: CreateKeyInput, ctx: ActionContext): Promise<IssuedKey> {
    const { tenant, plan } = await this.tenantAndPlan(tenantId);
    const now = this.clock.now();
    const settings = this.settingsOrThrow(input, plan, now);
    const secret = generateKey(input.environment, tenant.keyPrefix ?? this.defaultPrefix);
    const stamp = toStored(now);
    const key: ApiKey = {
      id: newId('key'),
      tenantId,
      environment: input.environment,
      ...settings,
      digest: sha256Hex(secret),
      ...keyHint(secret),
      ...freshKeyState(stamp, ctx),
      rotatedFrom: null,
    };
    // Counted and inserted under the tenant's lock: requests made at once cannot all pass the cap.
    // With its audit entry, in one transaction.
    await this.keys.withTenantLock(tenantId, async (keys, tx) => {
      await this.checkCap(keys, tenantId, plan, now, 'live');
      await keys.insert(key);
      await this.record(ctx, key, 'key.created', { name: key.name, environment: key.environment, scopes: key.scopes }, this.audit.in(tx));
    });
    return { key, secret };
  }

  /** The key of this tenant, or `404 not_found` (also for a key of another tenant). */
  async get(tenantId: string, keyId: string): Promise<ApiKey> {
    const key = await this.keys.find(tenantId, keyId);
    if (!key) throw new LatchkeyError('not_found', `No key ${keyId} in tenant ${tenantId}.`);
    return key;
  }

  async list(tenantId: string, page: PageRequest, filter: KeyFilter): Promise<Page<ApiKey>> {
    return this.keys.list(tenantId, page, filter, toStored(this.clock.now()));
  }

  /**
   * Changes the settings given in `input`. With `expectedVersions` (the client's If-Match), only if the key is still at
   * one of those versions (`keyVersion`), checked again under the tenant's lock; else `409 conflict`, and nothing is
   * written. Without it, two editors of the same setting end with the last write.
   */
  async update(tenantId: string, keyId: string, input: KeySettingsInput, ctx: ActionContext, expectedVersions?: readonly string[]): Promise<ApiKey> {
    const key = await this.get(tenantId, keyId);
    const { plan } = await this.tenantAndPlan(tenantId);
    const now = this.clock.now();
    const settings = this.settingsOrThrow(input, plan, now, key);
    this.requireState(key, now, ['active', 'inactive'], 'updated');
    if (expectedVersions) requireVersion(key, expectedVersions);
    const changed = (Object.keys(settings) as (keyof KeySettings)[]).filter((f) => JSON.stringify(settings[f]) !== JSON.stringify(key[f]));
    if (changed.length === 0) return key;
    // Only what this request changes is written: another request changing other fields at the same moment keeps its
    // change, where writing every setting as read here would put back their old values.
    const changes: Partial<KeySettings> = Object.fromEntries(changed.map((f) => [f, settings[f]]));
    const updated = await this.store(key, 'key.updated', ctx, { fields: changed.map((f) => WIRE_FIELD_NAMES[f]) }, async (keys) => {
      if (expectedVersions) {
        const current = await keys.find(tenantId, keyId);
        if (current) requireVersion(current, expectedVersions);
      }
      return keys.updateIfStatus(key.id, ['active', 'inactive'], { ...changes, updatedAt: toStored(now) });
    });
    return updated ? this.get(tenantId, keyId) : this.raced(key, undefined, 'updated');
  }

  async deactivate(tenantId: string, keyId: string, ctx: ActionContext): Promise<ApiKey> {
    const key = await this.get(tenantId, keyId);
    const now = this.clock.now();
    if (effectiveStatus(key, toStored(now)) === 'inactive') return key;
    this.requireState(key, now, ['active'], 'deactivated');
    const deactivated = await this.store(key, 'key.deactivated', ctx, {}, (keys) => keys.updateIfStatus(key.id, ['active'], { status: 'inactive', updatedAt: toStored(now) }));
    return deactivated ? this.get(tenantId, keyId) : this.raced(key, 'inactive', 'deactivated');
  }

  async activate(tenantId: string, keyId: string, ctx: ActionContext): Promise<ApiKey> {
    const key = await this.get(tenantId, keyId);
    const now = this.clock.now();
    if (effectiveStatus(key, toStored(now)) === 'active') return key;
    this.requireState(key, now, ['inactive'], 'activated');
    const { plan } = await this.tenantAndPlan(tenantId);
    const activated = await this.store(key, 'key.activated', ctx, {}, async (keys) => {
      await this.checkCap(keys, tenantId, plan, now, 'active');
      return keys.updateIfStatus(key.id, ['inactive'], { status: 'active', updatedAt: toStored(now) });
    });
    return activated ? this.get(tenantId, keyId) : this.raced(key, 'active', 'activated');
  }

  async revoke(tenantId: string, keyId: string, ctx: ActionContext): Promise<ApiKey> {
    const key = await this.get(tenantId, keyId);
    if (key.status === 'revoked') return key;
    const stamp = toStored(this.clock.now());
    const revoked = await this.store(key, 'key.revoked', ctx, {}, (keys) => keys.updateIfStatus(key.id, ['active', 'inactive', 'expired'], { status: 'revoked', revokedAt: stamp, updatedAt: stamp }));
    return revoked ? this.get(tenantId, keyId) : this.raced(key, 'revoked', 'revoked');
  }

  /** A new secret for the same key; the old secret stops working at once. */
  async regenerate(tenantId: string, keyId: string, ctx: ActionContext): Promise<IssuedKey> {
    const key = await this.get(tenantId, keyId);
    const now = this.clock.now();
    this.requireState(key, now, ['active', 'inactive'], 'regenerated');
    const tenant = await this.tenants.find(tenantId);
    const secret = generateKey(key.environment, tenant?.keyPrefix ?? this.defaultPrefix);
    const regenerated = await this.store(key, 'key.regenerated', ctx, {}, (keys) =>
      keys.updateIfStatus(key.id, ['active', 'inactive'], { digest: sha256Hex(secret), ...keyHint(secret), updatedAt: toStored(now) }),
    );
    // With no target state, `raced` throws: the key was revoked or expired meanwhile.
    if (!regenerated) await this.raced(key, undefined, 'regenerated');
    return { key: await this.get(tenantId, keyId), secret };
  }

  /**
   * A new key with the same settings, and inactive when the old one is. The old key works on until it is revoked,
   * or until `gracePeriodSeconds` ends when given. Always allowed by the plan's cap.
   */
  async rotate(tenantId: string, keyId: string, gracePeriodSeconds: number | undefined, ctx: ActionContext): Promise<IssuedKey & { previous: ApiKey }> {
    // A key's environment never changes, so the secret can be made before the key is read again below.
    const { environment } = await this.get(tenantId, keyId);
    const now = this.clock.now();
    const { tenant } = await this.tenantAndPlan(tenantId);
    const secret = generateKey(environment, tenant.keyPrefix ?? this.defaultPrefix);
    const stamp = toStored(now);
    const graceEnd = gracePeriodSeconds === undefined ? undefined : storableAfter(now, gracePeriodSeconds * 1000);
    // Under the tenant's lock, with the old key read again there: two rotations of one key cannot both pass.
    // The new key, the old one's link to it, both audit entries and the change-feed row commit together.
    const { old, key } = await this.keys.withTenantLock(tenantId, async (keys, tx) => {
      const old = await keys.find(tenantId, keyId);
      if (!old) throw new LatchkeyError('not_found', `No key ${keyId} in tenant ${tenantId}.`);
      this.requireState(old, now, ['active', 'inactive'], 'rotated');
      if (old.rotatedTo !== null) throw new LatchkeyError('conflict', `The key was already rotated to ${old.rotatedTo}; rotate that key instead.`);
      const key: ApiKey = {
        ...old,
        id: newId('key'),
        digest: sha256Hex(secret),
        ...keyHint(secret),
        expiresAt: rotatedExpiry(old, now),
        ...freshKeyState(stamp, ctx),
        // A deactivated key's successor is deactivated too: rotation must not bring back a key someone stopped,
        // nor pass the live-key cap that activating it would meet.
        status: old.status === 'inactive' ? 'inactive' : 'active',
        rotatedFrom: old.id,
      };
      await keys.insert(key);
      const expiresAt = graceEnd !== undefined && (old.expiresAt === null || graceEnd < old.expiresAt) ? graceEnd : old.expiresAt;
      await keys.update(old.id, { rotatedTo: key.id, expiresAt, updatedAt: stamp });
      const audit = this.audit.in(tx);
      await this.record(ctx, old, 'key.rotated', { rotated_to: key.id, grace_period_seconds: gracePeriodSeconds ?? null }, audit);
      await this.record(ctx, key, 'key.created', { name: key.name, environment: key.environment, rotated_from: old.id }, audit);
      await this.notifier.writeFeedRow(tx, { kind: 'key', id: old.id });
      return { old, key };
    });
    await this.notifier.announce({ kind: 'key', id: old.id, digest: old.digest });
    return { key, secret, previous: await this.get(tenantId, old.id) };
  }

  /** Marks keys past `expires_at` as expired and audits each once (run by a background job). */
  async expireDue(ctx: ActionContext): Promise<number> {
    const now = toStored(this.clock.now());
    const due = await this.keys.findNewlyExpired(now, 500);
    let expired = 0;
    for (const key of due) {
      // A key revoked since it was read stays revoked.
      if (await this.store(key, 'key.expired', ctx, { expires_at: key.expiresAt }, (keys) => keys.updateIfStatus(key.id, ['active', 'inactive'], { status: 'expired', updatedAt: now }))) expired++;
    }
    return expired;
  }

  /**
   * Stores a change to `key` with its audit entry and change-feed row, in one transaction under the tenant's lock
   * (all three, or none), then tells the caches. `change` answers false when the key's stored state no longer
   * allows it (another request changed it since it was read): nothing is written then.
   */
  private async store(key: ApiKey, action: AuditAction, ctx: ActionContext, details: Record<string, unknown>, change: (keys: KeyStore) => Promise<boolean>): Promise<boolean> {
    const stored = await this.keys.withTenantLock(key.tenantId, async (keys, tx) => {
      if (!(await change(keys))) return false;
      await this.record(ctx, key, action, details, this.audit.in(tx));
      await this.notifier.writeFeedRow(tx, { kind: 'key', id: key.id });
      return true;
    });
    if (stored) await this.notifier.announce({ kind: 'key', id: key.id, digest: key.digest });
    return stored;
  }

  /**
   * After a guarded update found the key changed by another request since it was read: the key as it is now
   * if that request did the same (`target`), else `409 conflict` for its new state.
   */
  private async raced(key: ApiKey, target: KeyStatus | undefined, verb: string): Promise<ApiKey> {
    const now = await this.get(key.tenantId, key.id);
    const status = effectiveStatus(now, toStored(this.clock.now()));
    if (status === target) return now;
    throw stateConflict(status, verb);
  }

  private async record(ctx: ActionContext, key: ApiKey, action: AuditAction, details: Record<string, unknown>, audit: AuditLog): Promise<void> {
    await audit.record(ctx, key.tenantId, action, { type: 'key', id: key.id }, details);
  }

  private requireState(key: ApiKey, now: Date, allowed: string[], verb: string): void {
    const status = effectiveStatus(key, toStored(now));
    if (!allowed.includes(status)) throw stateConflict(status, verb);
  }

  private settingsOrThrow(input: KeySettingsInput, plan: Plan, now: Date, current?: KeySettings): KeySettings {
    const result = resolveKeySettings(input, plan, now, current);
    if ('errors' in result) throw invalidRequest(result.errors);
    return result.settings;
  }

  private async tenantAndPlan(tenantId: string): Promise<{ tenant: Tenant; plan: Plan }> {
    const tenant = await this.tenants.find(tenantId);
    if (!tenant) throw new LatchkeyError('not_found', `No tenant ${tenantId}.`);
    const plan = this.plans.get(tenant.plan);
    if (!plan) throw new LatchkeyError('plan_not_permitted', `The tenant's plan "${tenant.plan}" is not configured on this deployment.`);
    return { tenant, plan };
  }

  /**
   * Live keys (neither revoked nor expired, inactive ones included) are capped by the plan.
   * Activating checks the active ones, so a key made inactive can come back while the tenant is within its plan.
   */
  private async checkCap(keys: KeyStore, tenantId: string, plan: Plan, now: Date, kind: 'live' | 'active'): Promise<void> {
    const count = kind === 'live' ? await keys.countLive(tenantId, toStored(now)) : await keys.countActive(tenantId, toStored(now));
    if (count >= plan.maxLiveKeys) {
      const has = kind === 'live' ? `${count}` : `${count} active`;
      throw new LatchkeyError('key_limit_reached', `The ${plan.name} plan allows ${plan.maxLiveKeys} live keys and the tenant has ${has}; revoke a key or upgrade the plan.`);
    }
  }
}

const WIRE_FIELD_NAMES: Record<keyof KeySettings, string> = {
  name: 'name', scopes: 'scopes', rateLimit: 'rate_limit', allowedIps: 'allowed_ips', customerIds: 'customer_ids', expiresAt: 'expires_at', meta: 'meta',
};

/** What every new key starts with: active, unused, made now by the actor. */
function freshKeyState(stamp: string, ctx: ActionContext) {
  return {
    status: 'active' as const,
    createdAt: stamp,
    createdBy: actorLabel(ctx),
    updatedAt: stamp,
    revokedAt: null,
    lastUsedAt: null,
    lastUsedIp: null,
    rotatedTo: null,
  };
}

function actorLabel(ctx: ActionContext): string {
  return ctx.actor.id ? `${ctx.actor.type}:${ctx.actor.id}` : ctx.actor.type;
}

/** The rotated key keeps the old key's lifetime, counted from now; a never-expiring key stays so if the plan allows. */
/**
 * The successor's expiry: the old key's lifetime, counted from the rotation; never for a key that never expires.
 * Rotation keeps "the same settings" (CONTRACT section 2), also after a plan change, like the rate limit: it replaces
 * a working key, and the plan's rules apply to the values a request sets.
 */
function rotatedExpiry(old: ApiKey, now: Date): string | null {
  if (old.expiresAt === null) return null;
  return storableAfter(now, Math.max(Date.parse(old.expiresAt) - Date.parse(old.createdAt), 60_000));
}

/** `ms` after `now`, stored; no later than the last storable instant (a key made to last until 9999 rotates to one that does too). */
function storableAfter(now: Date, ms: number): string {
  return toStored(new Date(Math.min(now.getTime() + ms, LATEST_STORABLE_MS)));
}

/** `409 conflict` unless the key is at one of the versions the client read (RFC 9110 says 412; the contract has no such code). */
function requireVersion(key: ApiKey, expected: readonly string[]): void {
  const version = keyVersion(key);
  if (!expected.includes(version)) {
    throw new LatchkeyError('conflict', `The key changed since you read it: its ETag is now ${version}, not the one in If-Match. Read it again, then make your change on what it holds now.`);
  }
}

/** "The key is expired; an expired key cannot be regenerated." */
function stateConflict(status: string, verb: string): LatchkeyError {
  const article = /^[aeiou]/.test(status) ? 'an' : 'a';
  return new LatchkeyError('conflict', `The key is ${status}; ${article} ${status} key cannot be ${verb}.`);
}
