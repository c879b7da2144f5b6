// The composition root: builds every service once from the config. `serve`, the CLI and tests call it.
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { PlanCatalog } from './core/plans.js';
import type { AppServices } from './http/app.js';
import { registerAuthRoutes } from './http/routes/auth-routes.js';
import { createLogger } from './logger.js';
import { AuditLog } from './manage/audit-log.js';
import { type Clock, SYSTEM_CONTEXT, systemClock } from './manage/context.js';
import { KeyService } from './manage/key-service.js';
import { MemberService } from './manage/member-service.js';
import { RootTokenService } from './manage/root-token-service.js';
import { TenantService } from './manage/tenant-service.js';
import { TokenBucketLimiter } from './limits/memory-limiter.js';
import { buildSignIn } from './otp/build-sign-in.js';
import { operatorEmails } from './otp/operators.js';
import { MemoryOtpThrottle, type OtpThrottle } from './limits/otp-throttle.js';
import type { RateLimiter } from './limits/rate-limiter.js';
import { buildRedisServices, type RedisServices } from './redis/redis-services.js';
import { AuditStore } from './store/audit-store.js';
import { ChangeFeedStore } from './store/change-feed-store.js';
import { migrate, type OpenDatabase, openDatabase } from './store/database.js';
import { sharedMode } from './store/private-file.js';
import { ExpiryNoticeStore } from './store/expiry-notice-store.js';
import { KeyExpiryNotices } from './notify/key-expiry-notices.js';
import { SmtpMailer } from './notify/mailer.js';
import { KeyStore } from './store/key-store.js';
import { MemberStore } from './store/member-store.js';
import { RootTokenStore } from './store/root-token-store.js';
import { TenantStore } from './store/tenant-store.js';
import { ChangePropagation } from './verify/change-propagation.js';
import { EnvironmentResolver } from './verify/environment-resolver.js';
import { KeyCache } from './verify/key-cache.js';
import { KeyVerifier } from './verify/key-verifier.js';
import { BatchedUsageWriter, type UsageWriter } from './usage/batched-usage-writer.js';
import { KyselyUsageBatchStore } from './usage/usage-batch-store.js';
import { MeteredUsageRecorder } from './usage/metered-usage-recorder.js';
import { RetentionJob } from './usage/retention-job.js';
import { ThreadedUsageWriter } from './usage/threaded-usage-writer.js';
import { LatchkeyMetrics } from './metrics/metrics.js';
import { registerMetricsRoutes } from './http/routes/metrics-routes.js';
import { registerUsageRoutes } from './http/routes/usage-routes.js';
import { OutageLog } from './outage-log.js';
import { RequestLogStore } from './store/request-log-store.js';
import { UsageStore } from './store/usage-store.js';

export interface Services extends AppServices {
  logger: Logger;
  database: OpenDatabase;
  keyStore: KeyStore;
  memberStore: MemberStore;
  tenantStore: TenantStore;
  keyCache: KeyCache;
  limiter: RateLimiter;
  changes: ChangePropagation;
  usageWriter: UsageWriter;
  metrics: LatchkeyMetrics;
  /** OTP cooldowns and tries: in Redis when configured, so every node counts the same. */
  otpThrottle: OtpThrottle;
  redis: RedisServices | undefined;
  /** Mails owners and admins about keys that expire soon; only with LATCHKEY_SMTP_URL and a notice period. */
  expiryNotices: KeyExpiryNotices | undefined;
  /** Starts the background jobs of a server: change feed, usage flushes, key expiry and its notices, retention. */
  startBackgroundJobs(): void;
  /** A stop is coming: `/readyz` fails (check `serving: false`) so that load balancers send no new requests. */
  drain(): void;
  /** Applies other nodes' key and tenant changes heard on Redis (part of the background jobs). */
  listenForChanges(): Promise<void>;
  /**
   * Stops the jobs, writes the queued usage (retrying for up to `retryForMs` while storage fails) and closes
   * storage and Redis. True when every queued request log and usage count was written.
   */
  close(retryForMs?: number): Promise<boolean>;
}

export interface BuildOptions {
  logger?: Logger;
  clock?: Clock;
  /** Apply pending migrations (serve and the CLI do; default true). */
  migrate?: boolean;
}

/** PostgreSQL queries of a running server fail after this, so a frozen database gives 503s, not hung requests. */
const QUERY_TIMEOUT_MS = 10_000;

/**
 * PostgreSQL: applies pending migrations on a pool of their own, without the query timeout, since a node
 * waits on the migration lock for as long as another node's migration takes. (SQLite migrates on the one
 * connection: `sqlite::memory:` would otherwise be a different database.)
 */
async function migrateApart(databaseUrl: string): Promise<void> {
  const migrating = openDatabase(databaseUrl);
  try {
    await migrate(migrating.db);
  } finally {
    await migrating.close();
  }
}

export async function buildServices(config: Config, options: BuildOptions = {}): Promise<Services> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  let draining = false;
  const database = openDatabase(config.databaseUrl, { queryTimeoutMs: QUERY_TIMEOUT_MS, poolSize: config.databasePoolSize });
  if (options.migrate !== false) await (database.dialect === 'postgres' ? migrateApart(config.databaseUrl) : migrate(database.db));
  const mode = database.sqliteFile === undefined ? undefined : sharedMode(database.sqliteFile);
  if (mode !== undefined) {
    logger.warn({ file: database.sqliteFile, mode }, `other users of this machine can read the database file, which holds the server's HMAC key, hashed credentials and request logs: chmod 600 ${database.sqliteFile} (and its -wal and -shm files)`);
  }

  const plans = new PlanCatalog(config.plans);
  const keyStore = new KeyStore(database.db);
  const tenantStore = new TenantStore(database.db);
  const memberStore = new MemberStore(database.db);
  const auditStore = new AuditStore(database.db);
  const audit = new AuditLog(auditStore, clock);

  const redis = config.redisUrl
    ? buildRedisServices({ url: config.redisUrl, failureMode: config.redisFailure, logger, keyPrefix: config.redisKeyPrefix })
    : undefined;
  const keyCache = new KeyCache();
  const changes = new ChangePropagation(keyCache, new ChangeFeedStore(database.db, database.dialect), redis?.changeBus, logger);
  const limiter: RateLimiter = redis?.limiter ?? new TokenBucketLimiter();
  const verifier = new KeyVerifier(keyCache, keyStore, plans, limiter);
  // SQLite's inserts are synchronous: a writer thread sorts and writes request logs on its own connection.
  const usageWriter: UsageWriter = database.sqliteFile
    ? new ThreadedUsageWriter({ sqliteFile: database.sqliteFile }, logger, config.requestLog)
    : new BatchedUsageWriter(new KyselyUsageBatchStore(database.db), logger, { logMode: config.requestLog });
  const metrics = new LatchkeyMetrics({ verifier, usageQueue: usageWriter });
  const retention = new RetentionJob(database.db, logger, { retentionDays: config.requestLogRetentionDays, clock });

  // A node starts even when Redis is down (it then answers as LATCHKEY_REDIS_FAILURE says), but
  // gives a Redis that is merely still connecting a moment, so its first requests are not refused.
  if (redis) await redis.connection.waitUntilReady(2000);
  const listenForChanges = async (): Promise<void> => {
    // Messages missed while Redis was away are in the change feed, read at once on reconnect.
    if (redis) await redis.changeBus.subscribe({ onChange: (change) => changes.apply(change), onResync: () => void changes.resync() });
  };
  const timers: NodeJS.Timeout[] = [];
  const keys = new KeyService(keyStore, tenantStore, plans, audit, changes, clock, config.keyPrefix);
  // Dashboard sign-in: cooldowns follow the injected clock when they are kept in memory.
  const otpThrottle: OtpThrottle = redis?.otpThrottle ?? new MemoryOtpThrottle(() => clock.now().getTime());
  const signIn = buildSignIn(config, database.db, memberStore, audit, clock, logger, otpThrottle);
  const expiryNotices = config.smtpUrl && config.keyExpiryNoticeDays > 0
    ? new KeyExpiryNotices({
      store: new ExpiryNoticeStore(database.db),
      members: memberStore,
      mailer: new SmtpMailer(config.smtpUrl, config.smtpFrom),
      clock,
      logger,
      days: config.keyExpiryNoticeDays,
      dashboardUrl: config.publicUrl,
    })
    : undefined;

  return {
    config,
    logger,
    clock,
    plans,
    database,
    keyStore,
    memberStore,
    expiryNotices,
    tenantStore,
    auditStore,
    keyCache,
    limiter,
    changes,
    usageWriter,
    usage: new MeteredUsageRecorder(usageWriter, metrics),
    metrics,
    otpThrottle,
    sessions: signIn.sessions,
    otpChannels: signIn.otpChannels,
    redis,
    tenants: new TenantService(tenantStore, plans, audit, changes, clock),
    keys,
    members: new MemberService(memberStore, tenantStore, audit, clock, operatorEmails(config)),
    rootTokens: new RootTokenService(new RootTokenStore(database.db), clock, config.rootToken),
    verifier,
    environments: new EnvironmentResolver(config.environment, config.environmentHosts),
    readiness: {
      check: async () => {
        const [storage, redisAnswers] = await Promise.all([database.ping(), redis?.connection.answers()]);
        return { storage, ...(redisAnswers === undefined ? {} : { redis: redisAnswers }), ...(draining ? { serving: false } : {}) };
      },
    },
    drain() {
      draining = true;
    },
    dashboardDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    extraRoutes: [
      (app) => registerAuthRoutes(app, signIn),
      (app) => registerUsageRoutes(app, { requestLogs: new RequestLogStore(database.db), usage: new UsageStore(database.db), keys, clock }),
      (app) => registerMetricsRoutes(app, metrics),
    ],
    listenForChanges,
    startBackgroundJobs() {
      listenForChanges().catch((error: unknown) => logger.warn({ err: error }, 'subscribing to cache invalidations failed; the change feed still applies changes'));
      changes.startPolling(1000);
      usageWriter.start();
      retention.start();
      const expire = repeating(logger, 'expiring keys', 'every minute', () => keys.expireDue(SYSTEM_CONTEXT));
      timers.push(setInterval(expire, 60_000).unref());
      expire();
      if (expiryNotices) {
        const notify = repeating(logger, 'key expiry notices', 'every hour', () => expiryNotices.run());
        timers.push(setInterval(notify, 3_600_000).unref());
        notify();
      }
    },
    async close(retryForMs = 0) {
      for (const timer of timers) clearInterval(timer);
      changes.stopPolling();
      await retention.stop();
      const written = await usageWriter.close(retryForMs);
      await signIn.close();
      await redis?.close();
      await database.close();
      return written;
    },
  };
}

/**
 * A job for a timer: one run at a time (a run stuck on storage is not joined by another at every tick), and one log
 * line per outage, not per failed run.
 */
function repeating(logger: Logger, what: string, when: string, run: () => Promise<unknown>): () => void {
  let running = false;
  const outage = new OutageLog(logger);
  return () => {
    if (running) return;
    running = true;
    run()
      .then(() => outage.recovered({}, `${what} works again`), (error: unknown) => outage.failed({ err: error }, `${what} failed; retrying ${when} until it works`))
      .finally(() => {
        running = false;
      });
  };
}
