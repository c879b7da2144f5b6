// The port the HTTP edge hands finished machine requests to; writers batch them off the request path.
import type { Environment } from '../core/environments.js';

export interface RequestRecord {
  id: string;
  /** Epoch ms when the request arrived. */
  at: number;
  /** `null` when no known key was sent (missing, malformed, unknown): such records only feed metrics. */
  tenantId: string | null;
  keyId: string | null;
  method: string;
  /** Path without the query string. */
  path: string;
  status: number;
  /** `valid` or the error code answered. */
  code: string;
  latencyMs: number;
  ip: string | null;
  /** The environment the request was served in. */
  environment: Environment;
}

export interface UsageRecorder {
  /** Queues the record; never blocks, never throws. A `valid` record also stamps the key's last use. */
  record(entry: RequestRecord): void;
}
