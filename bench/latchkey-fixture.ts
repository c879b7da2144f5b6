// A Latchkey on a temporary SQLite file with one enterprise tenant and keys made through the key service.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { SYSTEM_CONTEXT } from '../src/manage/context.js';
import { buildServices, type Services } from '../src/services.js';

/** The enterprise plan's ceiling: high enough that a bench's load is not refused with 429. */
export const BENCH_RPM = 100_000;

export interface LatchkeyFixture extends OpenStore {
  tenantId: string;
  secrets: string[];
  /** The id of the key at the same index in `secrets`. */
  keyIds: string[];
}

export interface FixtureOptions {
  keys: number;
  /** Extra settings (e.g. LATCHKEY_REDIS_URL); the database is always a fresh temporary file. */
  env?: Record<string, string | undefined>;
  logLevel?: string;
  /** An existing directory for `latchkey.db` (the scale part's seeded store), kept on close. */
  dir?: string;
}

export interface OpenStore {
  services: Services;
  dir: string;
  databasePath: string;
  close(): Promise<void>;
}

/** The services on `latchkey.db` in `dir` (a new temporary directory by default), as `serve` builds them. */
export async function openStore(options: Omit<FixtureOptions, 'keys'> = {}): Promise<OpenStore> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'latchkey-bench-'));
  const databasePath = join(dir, 'latchkey.db');
  // A fresh env, not process.env: a developer's LATCHKEY_* settings must not change what is measured.
  const config = loadConfig({ LATCHKEY_DATABASE_URL: `sqlite:${databasePath}`, LATCHKEY_PORT: '0', ...options.env });
  const services = await buildServices(config, { logger: createLogger(options.logLevel ?? config.logLevel) });
  return {
    services,
    dir,
    databasePath,
    async close() {
      await services.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function openLatchkey(options: FixtureOptions): Promise<LatchkeyFixture> {
  const store = await openStore(options);
  const { services } = store;
  const tenant = await services.tenants.create({ name: 'Bench Co', plan: 'enterprise' }, SYSTEM_CONTEXT);
  const secrets: string[] = [];
  const keyIds: string[] = [];
  for (let i = 0; i < options.keys; i++) {
    const issued = await services.keys.create(
      tenant.id,
      { name: `bench-${i}`, environment: 'production', rateLimit: { requestsPerMinute: BENCH_RPM } },
      SYSTEM_CONTEXT,
    );
    secrets.push(issued.secret);
    keyIds.push(issued.key.id);
  }
  return { ...store, tenantId: tenant.id, secrets, keyIds };
}
