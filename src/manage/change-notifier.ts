// Tells every node that a key or tenant changed, so caches drop it at once.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

/** A stored change to a key or tenant; for a key, `digest` is its secret's digest before the change. */
export interface StoredChange {
  kind: 'key' | 'tenant';
  id: string;
  digest?: string | undefined;
}

export interface ChangeNotifier {
  /** Writes the change's row of the change feed through `db`, the change's own transaction: both commit, or neither. */
  writeFeedRow(db: Kysely<Database>, change: StoredChange): Promise<void>;
  /** Once the change is committed: this node's cache at once, other nodes by pub/sub (the feed row reaches the rest). */
  announce(change: StoredChange): Promise<void>;
}
