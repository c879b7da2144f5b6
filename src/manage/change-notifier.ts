// Tells every node that a key or tenant changed, so caches drop it at once.
import type { ApiKey } from '../core/api-key.js';

export interface ChangeNotifier {
  /** `key` as it was before the change: its old digest must leave every cache. */
  keyChanged(key: Pick<ApiKey, 'id' | 'digest'>): Promise<void>;
  tenantChanged(tenantId: string): Promise<void>;
}
