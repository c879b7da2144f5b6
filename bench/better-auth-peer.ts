// The peer: Better Auth with its apiKey plugin on SQLite, set up and called the way its docs show.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiKey } from '@better-auth/api-key';
import Database from 'better-sqlite3';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';

export interface BetterAuthPeer {
  version: string;
  secrets: string[];
  verify(key: string): Promise<boolean>;
  close(): void;
}

/** Neither package exports its package.json; it sits beside the dist/ folder of the entry point. */
function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.resolve(name)), 'utf8')) as { version: string }).version;
}

export async function openBetterAuth(keys: number, rpm: number): Promise<BetterAuthPeer> {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-bench-peer-'));
  const sqlite = new Database(join(dir, 'auth.db'));
  // The same SQLite settings Latchkey uses: without WAL every verification's write waits for an fsync.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  const auth = betterAuth({
    database: sqlite,
    secret: randomBytes(32).toString('base64'),
    baseURL: 'http://127.0.0.1',
    telemetry: { enabled: false },
    emailAndPassword: { enabled: true },
    // Rate limiting stays on (its default), with Latchkey's per-minute ceiling instead of 10 a day.
    plugins: [apiKey({ rateLimit: { enabled: true, timeWindow: 60_000, maxRequests: rpm } })],
  });
  const { runMigrations } = await getMigrations(auth.options);
  await runMigrations();

  const { user } = await auth.api.signUpEmail({ body: { email: 'bench@example.com', password: randomBytes(12).toString('hex'), name: 'Bench' } });
  const secrets: string[] = [];
  for (let i = 0; i < keys; i++) {
    const created = await auth.api.createApiKey({ body: { userId: user.id, name: `bench-${i}` } });
    secrets.push(created.key);
  }
  const version = `${packageVersion('better-auth')}, api-key ${packageVersion('@better-auth/api-key')}`;
  return {
    version,
    secrets,
    async verify(key) {
      const result = await auth.api.verifyApiKey({ body: { key } });
      return result.valid;
    },
    close() {
      sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
