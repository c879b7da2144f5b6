// Part 3: Latchkey's verifier against Better Auth's apiKey plugin, both in-process on SQLite, each call awaited and timed.
import { sha256Hex } from '../src/core/digest.js';
import { BENCH_RPM, openLatchkey } from './latchkey-fixture.js';
import { type BetterAuthPeer, openBetterAuth } from './better-auth-peer.js';
import type { PartOptions } from './bench-options.js';
import type { Row } from './report.js';
import { ratioOf, type Sample, summarizeSamples, timeEach } from './stats.js';

/** Keys verified in turn on each side. */
const KEYS = 100;

export async function runPeer(options: PartOptions): Promise<Row[]> {
  let peer: BetterAuthPeer;
  try {
    peer = await openBetterAuth(KEYS, BENCH_RPM);
  } catch (error) {
    return [{ part: '3 peer', figure: 'Better Auth apiKey verify', latchkey: '—', baseline: `skipped: ${(error as Error).message.split('\n')[0]}` }];
  }
  const fixture = await openLatchkey({ keys: KEYS, logLevel: 'warn' });
  const { verifier, keyCache } = fixture.services;
  const latchkey = async (i: number) =>
    (await verifier.verify({ secret: fixture.secrets[i % KEYS]!, environment: 'production', ip: '127.0.0.1', tenantId: fixture.tenantId, nowMs: Date.now() })).ok;
  const betterAuth = (i: number) => peer.verify(peer.secrets[i % KEYS]!);
  // A miss: the key about to be verified is dropped from the cache, as an eviction or expiry would.
  const digests = fixture.secrets.map((s) => sha256Hex(s));
  const evict = (i: number) => keyCache.invalidateKey(fixture.keyIds[i % KEYS]!, digests[i % KEYS]);

  const cached: Sample[] = [];
  const missed: Sample[] = [];
  const peers: Sample[] = [];
  try {
    // Warm-up: JIT on both sides, Latchkey's cache filled.
    await timeEach(latchkey, 300);
    await timeEach(betterAuth, 300);
    for (let round = 0; round < options.rounds; round++) {
      const runs = [
        async () => cached.push(await timeEach(latchkey, options.durationMs)),
        async () => missed.push(await timeEach(latchkey, options.durationMs, { prepare: evict })),
        async () => peers.push(await timeEach(betterAuth, options.durationMs)),
      ];
      for (const run of round % 2 === 0 ? runs : runs.reverse()) await run();
    }
  } finally {
    peer.close();
    await fixture.close();
  }

  const c = summarizeSamples(cached);
  const m = summarizeSamples(missed);
  const p = summarizeSamples(peers);
  const name = `Better Auth ${peer.version}`;
  const part = '3 peer';
  return [
    { part, figure: 'cached verify (awaited), verifications/s', latchkey: { summary: c.opsPerSec, unit: 'per-second' }, baselineName: name, baseline: { summary: p.opsPerSec, unit: 'per-second' }, ratio: ratioOf(c.opsPerSec, p.opsPerSec), target: { op: '>=', value: 20 } },
    { part, figure: 'cached verify (awaited) p50', latchkey: { summary: c.p50Ns, unit: 'ns' }, baselineName: name, baseline: { summary: p.p50Ns, unit: 'ns' }, ratio: ratioOf(c.p50Ns, p.p50Ns), target: { op: '<=', value: 0.05 } },
    { part, figure: 'cached verify (awaited) p99', latchkey: { summary: c.p99Ns, unit: 'ns' }, baselineName: name, baseline: { summary: p.p99Ns, unit: 'ns' }, ratio: ratioOf(c.p99Ns, p.p99Ns), target: { op: '<=', value: 0.05 } },
    { part, figure: 'cache-miss verify, verifications/s', latchkey: { summary: m.opsPerSec, unit: 'per-second' }, baselineName: name, baseline: { summary: p.opsPerSec, unit: 'per-second' }, ratio: ratioOf(m.opsPerSec, p.opsPerSec) },
    { part, figure: 'cache-miss verify p99', latchkey: { summary: m.p99Ns, unit: 'ns' }, baselineName: name, baseline: { summary: p.p99Ns, unit: 'ns' }, ratio: ratioOf(m.p99Ns, p.p99Ns) },
  ];
}
