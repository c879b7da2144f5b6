// Operator root tokens: the configured LATCHKEY_ROOT_TOKEN and tokens made by the CLI.
import { digestsEqual, sha256Hex } from '../core/digest.js';
import { newId } from '../core/ids.js';
import { randomBase62 } from '../core/base62.js';
import { toStored } from '../core/time.js';
import type { RootTokenStore } from '../store/root-token-store.js';
import type { Clock } from './context.js';

export const ROOT_TOKEN_PREFIX = 'lkr_';

export interface Operator {
  /** `env` for LATCHKEY_ROOT_TOKEN, else the stored token's id. */
  tokenId: string;
}

export class RootTokenService {
  private readonly configuredDigest: string | undefined;

  constructor(private readonly store: RootTokenStore, private readonly clock: Clock, configuredToken: string | undefined) {
    this.configuredDigest = configuredToken ? sha256Hex(configuredToken) : undefined;
  }

  /** A new token; the caller prints it once, storage keeps its digest. */
  async create(name: string): Promise<{ id: string; name: string; token: string; createdAt: string }> {
    const token = ROOT_TOKEN_PREFIX + randomBase62(43);
    const record = { id: newId('rtk'), name, createdAt: toStored(this.clock.now()) };
    await this.store.insert(record, sha256Hex(token));
    return { ...record, token };
  }

  /** The operator a bearer token stands for, or `undefined`. */
  async authenticate(token: string): Promise<Operator | undefined> {
    const digest = sha256Hex(token);
    if (this.configuredDigest && digestsEqual(digest, this.configuredDigest)) return { tokenId: 'env' };
    if (!token.startsWith(ROOT_TOKEN_PREFIX)) return undefined;
    const stored = await this.store.findByDigest(digest);
    return stored ? { tokenId: stored.id } : undefined;
  }
}
