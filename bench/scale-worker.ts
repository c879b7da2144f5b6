// Child process of part 4. `seed <dir> <count> <sample>` stores <count> keys (1000 per enterprise tenant) and
// writes a sample of them; `measure <dir> <rounds> <ms>` opens that store fresh and measures RSS and verify times.
import { statSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Insertable } from 'kysely';
import { sha256Hex } from '../src/core/digest.js';
import { newId } from '../src/core/ids.js';
import { generateKey, keyHint } from '../src/core/key-format.js';
import { toStored } from '../src/core/time.js';
import type { ApiKeysTable, TenantsTable } from '../src/store/schema.js';
import { tell } from './bench-child.js';
import { BENCH_RPM, openStore } from './latchkey-fixture.js';
import { type Sample, timeBlocks, timeEach } from './stats.js';

/** The enterprise plan's cap: a store of a million keys is a thousand tenants' worth. */
const KEYS_PER_TENANT = 1000;
/** Rows per INSERT (23 columns: under SQLite's 32766 bound variables) and per transaction. */
const ROWS_PER_INSERT = 1000;
const ROWS_PER_TRANSACTION = 50_000;

interface SampleKey {
  secret: string;
  tenantId: string;
}

export interface ScaleSample {
  /** Verified before timing, so they are cached. */
  warm: SampleKey[];
  /** Each verified once while timing: a cache miss, so a lookup by digest in SQLite. */
  cold: SampleKey[];
}

export interface SeedResult {
  seconds: number;
  databaseBytes: number;
}

export interface MeasureResult {
  /** RSS with the store open and nothing verified yet (after a collection). */
  rssAtOpenBytes: number;
  rssBytes: number;
  heapUsedBytes: number;
  cached: Sample[];
  uncached: Sample[];
}

function keyRow(secret: string, tenantId: string, index: number, stamp: string): Insertable<ApiKeysTable> {
  const hint = keyHint(secret);
  return {
    id: newId('key'), tenant_id: tenantId, name: `bench-${index}`, environment: 'production', digest: sha256Hex(secret),
    hint_start: hint.start, hint_end: hint.end, scopes: '[]', rpm: BENCH_RPM, burst: BENCH_RPM, allowed_ips: '[]', customer_ids: '[]',
    expires_at: null, status: 'active', created_at: stamp, created_by: null, updated_at: stamp, revoked_at: null,
    last_used_at: null, last_used_ip: null, rotated_from: null, rotated_to: null, meta: '{}',
  };
}

async function seed(dir: string, count: number, sampleSize: { warm: number; cold: number }): Promise<SeedResult> {
  const started = performance.now();
  const store = await openStore({ dir, logLevel: 'warn' });
  const { db } = store.services.database;
  const stamp = toStored(new Date());
  const tenants: Insertable<TenantsTable>[] = [];
  for (let t = 0; t * KEYS_PER_TENANT < count; t++) {
    tenants.push({ id: newId('ten'), name: `Bench tenant ${t}`, plan: 'enterprise', status: 'active', key_prefix: null, created_at: stamp, updated_at: stamp });
  }
  for (let t = 0; t < tenants.length; t += ROWS_PER_INSERT) await db.insertInto('tenants').values(tenants.slice(t, t + ROWS_PER_INSERT)).execute();

  // The sample is spread evenly over the insertion order, so it is not all in the newest pages.
  const step = Math.max(1, Math.floor(count / (sampleSize.warm + sampleSize.cold)));
  const sampled: SampleKey[] = [];
  for (let start = 0; start < count; start += ROWS_PER_TRANSACTION) {
    const end = Math.min(count, start + ROWS_PER_TRANSACTION);
    await db.transaction().execute(async (tx) => {
      for (let from = start; from < end; from += ROWS_PER_INSERT) {
        const rows: Insertable<ApiKeysTable>[] = [];
        for (let i = from; i < Math.min(end, from + ROWS_PER_INSERT); i++) {
          const tenantId = tenants[Math.floor(i / KEYS_PER_TENANT)]!.id!;
          const secret = generateKey('production');
          if (i % step === 0 && sampled.length < sampleSize.warm + sampleSize.cold) sampled.push({ secret, tenantId });
          rows.push(keyRow(secret, tenantId, i, stamp));
        }
        await tx.insertInto('api_keys').values(rows).execute();
      }
    });
  }
  await store.close();
  const sample: ScaleSample = { warm: sampled.filter((_, i) => i % 2 === 0), cold: sampled.filter((_, i) => i % 2 === 1) };
  writeFileSync(join(dir, 'sample.json'), JSON.stringify(sample));
  const databaseBytes = statSync(join(dir, 'latchkey.db')).size;
  return { seconds: (performance.now() - started) / 1000, databaseBytes };
}

async function measure(dir: string, rounds: number, durationMs: number): Promise<MeasureResult> {
  const sample = JSON.parse(readFileSync(join(dir, 'sample.json'), 'utf8')) as ScaleSample;
  const store = await openStore({ dir, logLevel: 'warn' });
  const { verifier } = store.services;
  const request = (key: SampleKey) => ({ secret: key.secret, environment: 'production' as const, ip: '127.0.0.1', tenantId: key.tenantId, nowMs: Date.now() });
  const warm = async () => {
    for (const key of sample.warm) if (!(await verifier.verify(request(key))).ok) throw new Error('a sampled key failed to verify');
  };
  try {
    globalThis.gc?.();
    const rssAtOpenBytes = process.memoryUsage().rss;
    await warm();
    // RSS after a collection: what the process holds with the store open and the warm keys cached.
    globalThis.gc?.();
    const memory = process.memoryUsage();

    const cachedCall = (i: number): boolean => {
      const verdict = verifier.verify(request(sample.warm[i % sample.warm.length]!));
      return !(verdict instanceof Promise) && verdict.ok;
    };
    const perRound = Math.floor(sample.cold.length / rounds);
    const cached: Sample[] = [];
    const uncached: Sample[] = [];
    timeBlocks(cachedCall, 200);
    for (let round = 0; round < rounds; round++) {
      await warm();
      cached.push(timeBlocks(cachedCall, durationMs));
      const cold = sample.cold.slice(round * perRound, (round + 1) * perRound);
      uncached.push(await timeEach(async (i) => (await verifier.verify(request(cold[i]!))).ok, 60_000, { maxCalls: cold.length }));
    }
    return { rssAtOpenBytes, rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, cached, uncached };
  } finally {
    await store.close();
  }
}

const [mode, dir, a, b] = process.argv.slice(2);
if (mode === 'seed' && dir && a && b) {
  const [warm, cold] = b.split(',').map(Number) as [number, number];
  tell('BENCH_RESULT', await seed(dir, Number(a), { warm, cold }));
} else if (mode === 'measure' && dir && a && b) {
  tell('BENCH_RESULT', await measure(dir, Number(a), Number(b)));
} else {
  throw new Error('usage: scale-worker.ts seed <dir> <count> <warm,cold> | measure <dir> <rounds> <ms>');
}
