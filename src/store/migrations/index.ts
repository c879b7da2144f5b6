// The ordered list of migrations; each file is frozen once released.
import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './001-initial.js';
import * as signIn from './002-sign-in.js';
import * as requestLogsAtIndex from './003-request-logs-at-index.js';
import * as rootTokenAccess from './004-root-token-access.js';
import * as usageBatches from './005-usage-batches.js';
import * as membershipJoined from './006-membership-joined.js';
import * as redactRequestLogPaths from './007-redact-request-log-paths.js';
import * as listIndexes from './008-list-indexes.js';
import * as keyExpiryNotices from './009-key-expiry-notices.js';

const migrations: Record<string, Migration> = {
  '001-initial': initial,
  '002-sign-in': signIn,
  '003-request-logs-at-index': requestLogsAtIndex,
  '004-root-token-access': rootTokenAccess,
  '005-usage-batches': usageBatches,
  '006-membership-joined': membershipJoined,
  '007-redact-request-log-paths': redactRequestLogPaths,
  '008-list-indexes': listIndexes,
  '009-key-expiry-notices': keyExpiryNotices,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
