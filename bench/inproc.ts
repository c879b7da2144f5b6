// Part 1: in-process verification, cached (against sha256 + Map.get) and on a cache miss (against a raw SQLite lookup).
import Database from 'better-sqlite3';
import { sha256Hex } from '../src/core/digest.js';
import type { VerifyRequest } from '../src/verify/key-verifier.js';
import type { PartOptions } from './bench-options.js';
import { openLatchkey } from './latchkey-fixture.js';
import type { Row } from './report.js';
import { ratioOf, type Sample, summarizeSamples, timeBlocks, timeEach } from './stats.js';

/** Keys verified in turn: the enterprise plan's cap, so the lookups spread over a tenant's worth of keys, not one. */
const KEYS = 1000;

/** The statement `KeyStore.findByDigest` compiles to, prepared once: the floor of a cache miss. */
const RAW_LOOKUP = `select api_keys.*, tenants.name as t_name, tenants.plan as t_plan, tenants.status as t_status,
  tenants.key_prefix as t_key_prefix, tenants.created_at as t_created_at, tenants.updated_at as t_updated_at
  from api_keys inner join tenants on tenants.id = api_keys.tenant_id where api_keys.digest = ?`;

export async function runInproc(options: PartOptions): Promise<Row[]> {
  const fixture = await openLatchkey({ keys: KEYS, logLevel: 'warn' });
  const { verifier, keyCache } = fixture.services;
  const { secrets, tenantId } = fixture;
  const request = (i: number): VerifyRequest => ({
    secret: secrets[i % KEYS]!,
    environment: 'production',
    ip: '127.0.0.1',
    tenantId,
    nowMs: Date.now(),
  });
  const warm = async () => {
    for (let i = 0; i < KEYS; i++) if (!(await verifier.verify(request(i))).ok) throw new Error('a bench key failed to verify');
  };

  // The practical ceiling of a cached verification: the digest and one Map lookup, nothing else.
  const byDigest = new Map(secrets.map((s, i) => [sha256Hex(s), { index: i }]));
  const cachedLatchkey = (i: number): boolean => {
    const verdict = verifier.verify(request(i));
    return !(verdict instanceof Promise) && verdict.ok;
  };
  const cachedBaseline = (i: number): boolean => byDigest.get(sha256Hex(secrets[i % KEYS]!)) !== undefined;

  // A miss is made by dropping just the key about to be verified, as an eviction or expiry would;
  // clearing the whole cache instead would also time the clearing's side effects (a 100k-slot reset).
  const digests = secrets.map((s) => sha256Hex(s));
  const evict = (i: number) => keyCache.invalidateKey(fixture.keyIds[i % KEYS]!, digests[i % KEYS]);

  const raw = new Database(fixture.databasePath, { readonly: true });
  const lookup = raw.prepare(RAW_LOOKUP);
  const missLatchkey = async (i: number) => (await verifier.verify(request(i))).ok;
  const missBaseline = (i: number) => lookup.get(sha256Hex(secrets[i % KEYS]!)) !== undefined;

  const cached: Sample[] = [];
  const cachedBase: Sample[] = [];
  const miss: Sample[] = [];
  const missBase: Sample[] = [];
  try {
    await warm();
    timeBlocks(cachedLatchkey, options.quick ? 200 : 500);
    timeBlocks(cachedBaseline, options.quick ? 200 : 500);
    for (let round = 0; round < options.rounds; round++) {
      // Alternate the order so neither side always runs right after the other's garbage.
      const pair = [
        () => cached.push(timeBlocks(cachedLatchkey, options.durationMs)),
        () => cachedBase.push(timeBlocks(cachedBaseline, options.durationMs)),
      ];
      await warm();
      for (const run of round % 2 === 0 ? pair : pair.reverse()) run();

      const missPair = [
        async () => miss.push(await timeEach(missLatchkey, options.durationMs, { prepare: evict })),
        async () => missBase.push(await timeEach(missBaseline, options.durationMs)),
      ];
      for (const run of round % 2 === 0 ? missPair : missPair.reverse()) await run();
    }
  } finally {
    raw.close();
    await fixture.close();
  }

  const c = summarizeSamples(cached);
  const cb = summarizeSamples(cachedBase);
  const m = summarizeSamples(miss);
  const mb = summarizeSamples(missBase);
  const cachedName = 'sha256 + Map.get';
  const missName = 'sha256 + prepared SELECT';
  return [
    { part: '1 in-process', figure: 'cached verify, verifications/s', latchkey: { summary: c.opsPerSec, unit: 'per-second' }, baselineName: cachedName, baseline: { summary: cb.opsPerSec, unit: 'per-second' }, ratio: ratioOf(c.opsPerSec, cb.opsPerSec), target: { op: '>=', value: 0.5 } },
    { part: '1 in-process', figure: 'cached verify p50 (per call, blocks of 1000)', latchkey: { summary: c.p50Ns, unit: 'ns' }, baselineName: cachedName, baseline: { summary: cb.p50Ns, unit: 'ns' }, ratio: ratioOf(c.p50Ns, cb.p50Ns) },
    { part: '1 in-process', figure: 'cached verify p99 (per call, blocks of 1000)', latchkey: { summary: c.p99Ns, unit: 'ns' }, baselineName: cachedName, baseline: { summary: cb.p99Ns, unit: 'ns' }, ratio: ratioOf(c.p99Ns, cb.p99Ns) },
    { part: '1 in-process', figure: 'cache-miss verify (SQLite), verifications/s', latchkey: { summary: m.opsPerSec, unit: 'per-second' }, baselineName: missName, baseline: { summary: mb.opsPerSec, unit: 'per-second' }, ratio: ratioOf(m.opsPerSec, mb.opsPerSec) },
    { part: '1 in-process', figure: 'cache-miss verify p50 (each call timed)', latchkey: { summary: m.p50Ns, unit: 'ns' }, baselineName: missName, baseline: { summary: mb.p50Ns, unit: 'ns' }, ratio: ratioOf(m.p50Ns, mb.p50Ns) },
    { part: '1 in-process', figure: 'cache-miss verify p99 (each call timed)', latchkey: { summary: m.p99Ns, unit: 'ns' }, baselineName: missName, baseline: { summary: mb.p99Ns, unit: 'ns' }, ratio: ratioOf(m.p99Ns, mb.p99Ns) },
  ];
}
