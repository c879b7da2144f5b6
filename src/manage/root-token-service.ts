// Operator root tokens: the configured LATCHKEY_ROOT_TOKEN and tokens made by the CLI.
import { digestsEqual, sha256Hex } from '../core/digest.js';
import { LatchkeyError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { generateRootToken, ROOT_TOKEN_PREFIX } from '../core/root-token-format.js';
import { toStored } from '../core/time.js';
import type { RootTokenAccess, RootTokenRecord, RootTokenStore } from '../store/root-token-store.js';
import type { Clock } from './context.js';


export interface Operator {
  /** `env` for LATCHKEY_ROOT_TOKEN, else the stored token's id. */
  tokenId: string;
  access: RootTokenAccess;
}

/** A token's last use is written at most this often: management calls should not each cost a write. */
const LAST_USE_EVERY_MS = 60_000;
/**
 * How long a stored token, once found, is trusted without asking storage again: the verify API (every request
 * of a service using the SDK) then costs no query. A revoke made elsewhere (the CLI, another node) holds within it.
 */
const FOUND_TOKEN_TTL_MS = 1000;
/** Tokens remembered at most; a deployment has a handful, so this only bounds memory. */
const FOUND_TOKENS_MAX = 1000;

export class RootTokenService {
  private readonly configuredDigest: string | undefined;
  private readonly stampedAt = new Map<string, number>();
  private readonly found = new Map<string, { operator: Operator; until: number }>();

  constructor(private readonly store: RootTokenStore, private readonly clock: Clock, configuredToken: string | undefined) {
    this.configuredDigest = configuredToken ? sha256Hex(configuredToken) : undefined;
  }

  /** A new token; the caller prints it once, storage keeps its digest. */
  async create(name: string, access: RootTokenAccess = 'full'): Promise<{ id: string; name: string; token: string; createdAt: string; access: RootTokenAccess }> {
    const token = generateRootToken();
    const record = { id: newId('rtk'), name, createdAt: toStored(this.clock.now()), access };
    await this.store.insert(record, sha256Hex(token));
    return { ...record, token };
  }

  /** The operator a bearer token stands for, or `undefined`. */
  async authenticate(token: string): Promise<Operator | undefined> {
    const digest = sha256Hex(token);
    if (this.configuredDigest && digestsEqual(digest, this.configuredDigest)) return { tokenId: 'env', access: 'full' };
    if (!token.startsWith(ROOT_TOKEN_PREFIX)) return undefined;
    const nowMs = this.clock.now().getTime();
    const known = this.found.get(digest);
    if (known && known.until > nowMs) {
      this.stampUse(known.operator.tokenId);
      return known.operator;
    }
    const stored = await this.store.findByDigest(digest);
    if (!stored) {
      this.found.delete(digest);
      return undefined;
    }
    const operator: Operator = { tokenId: stored.id, access: stored.access };
    if (this.found.size >= FOUND_TOKENS_MAX) this.found.clear();
    this.found.set(digest, { operator, until: nowMs + FOUND_TOKEN_TTL_MS });
    this.stampUse(stored.id);
    return operator;
  }

  /** The stored tokens (the configured LATCHKEY_ROOT_TOKEN is not one), revoked ones included. */
  list(): Promise<RootTokenRecord[]> {
    return this.store.list();
  }

  /** Revokes a stored token: the next call with it is 401 here, and on other nodes within a second. Idempotent. */
  async revoke(id: string): Promise<RootTokenRecord> {
    const token = await this.store.find(id);
    if (!token) throw new LatchkeyError('not_found', `No root token ${id}.`);
    if (token.revokedAt !== null) return token;
    await this.store.revoke(id, toStored(this.clock.now()));
    this.stampedAt.delete(id);
    for (const [digest, known] of this.found) if (known.operator.tokenId === id) this.found.delete(digest);
    return (await this.store.find(id)) ?? token;
  }

  private stampUse(id: string): void {
    const now = this.clock.now();
    if (now.getTime() - (this.stampedAt.get(id) ?? -Infinity) < LAST_USE_EVERY_MS) return;
    this.stampedAt.set(id, now.getTime());
    // Off the request's path: a failed stamp only leaves the last use older than it is.
    this.store.stampUse(id, toStored(now)).catch(() => this.stampedAt.delete(id));
  }
}
