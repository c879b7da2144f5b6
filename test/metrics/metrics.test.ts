import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LatchkeyMetrics } from '../../src/metrics/metrics.js';
import { MeteredUsageRecorder } from '../../src/usage/metered-usage-recorder.js';
import type { RequestRecord, UsageRecorder } from '../../src/usage/usage-recorder.js';
import { requestRecord } from '../usage/records.js';

/** The value of one sample line of the exposition, e.g. `latchkey_verifications_total{code="valid"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('LatchkeyMetrics', () => {
  it('counts requests by code and times them by outcome', async () => {
    const metrics = new LatchkeyMetrics({ defaultMetrics: false });
    metrics.observeRequest('valid', 2);
    metrics.observeRequest('valid', 4);
    metrics.observeRequest('rate_limited', 1);
    metrics.observeRequest('missing_api_key', 0.5);
    metrics.observeRequest('made_up_code', 0.5);
    const text = await metrics.text();
    assert.equal(sample(text, 'latchkey_verifications_total{code="valid"}'), 2);
    assert.equal(sample(text, 'latchkey_verifications_total{code="rate_limited"}'), 1);
    assert.equal(sample(text, 'latchkey_verifications_total{code="missing_api_key"}'), 1);
    assert.equal(sample(text, 'latchkey_verifications_total{code="other"}'), 1, 'a code outside the contract becomes `other`');
    assert.equal(sample(text, 'latchkey_request_duration_seconds_count{outcome="valid"}'), 2);
    assert.equal(sample(text, 'latchkey_request_duration_seconds_sum{outcome="valid"}'), 0.006);
    assert.equal(sample(text, 'latchkey_request_duration_seconds_count{outcome="rejected"}'), 2);
    assert.equal(sample(text, 'latchkey_request_duration_seconds_count{outcome="rate_limited"}'), 1);

    metrics.observeRequest('valid', 1);
    const again = await metrics.text();
    assert.equal(sample(again, 'latchkey_verifications_total{code="valid"}'), 3, 'a second scrape adds only what is new');
    assert.equal(sample(again, 'latchkey_request_duration_seconds_count{outcome="valid"}'), 3);
  });

  it('times every request between two scrapes, however many', async () => {
    const metrics = new LatchkeyMetrics({ defaultMetrics: false });
    for (let i = 0; i < 10_000; i++) metrics.observeRequest(i % 2 === 0 ? 'valid' : 'invalid_api_key', 1);
    const text = await metrics.text();
    assert.equal(sample(text, 'latchkey_request_duration_seconds_count{outcome="valid"}'), 5000);
    assert.equal(sample(text, 'latchkey_request_duration_seconds_count{outcome="rejected"}'), 5000);
  });

  it('shows every code a machine request can get from 0, so an alert on one has a series before it happens', async () => {
    const text = await new LatchkeyMetrics({ defaultMetrics: false }).text();
    for (const code of ['valid', 'unavailable', 'rate_limited', 'revoked_api_key', 'api_key_in_query']) {
      assert.equal(sample(text, `latchkey_verifications_total{code="${code}"}`), 0, code);
    }
    assert.equal(sample(text, 'latchkey_verifications_total{code="otp_invalid"}'), undefined, 'not a machine code');
  });

  it('reads the cache counters and the usage queue at scrape time', async () => {
    const verifier = { counters: { cacheHits: 0, cacheMisses: 0 } };
    const usageQueue = { queueDepth: 0, countsWaiting: 0, dropped: 0 };
    const metrics = new LatchkeyMetrics({ verifier, usageQueue, defaultMetrics: false });
    assert.equal(sample(await metrics.text(), 'latchkey_key_cache_hit_ratio'), 0);
    verifier.counters.cacheHits = 3;
    verifier.counters.cacheMisses = 1;
    usageQueue.queueDepth = 42;
    usageQueue.dropped = 7;
    usageQueue.countsWaiting = 5;
    const text = await metrics.text();
    assert.equal(sample(text, 'latchkey_key_cache_hits_total'), 3);
    assert.equal(sample(text, 'latchkey_key_cache_misses_total'), 1);
    assert.equal(sample(text, 'latchkey_key_cache_hit_ratio'), 0.75);
    assert.equal(sample(text, 'latchkey_usage_queue_depth'), 42);
    assert.equal(sample(text, 'latchkey_usage_dropped_total'), 7);
    assert.equal(sample(text, 'latchkey_usage_counts_waiting'), 5);
  });

  it('keeps each instance apart and prefixes the process metrics', async () => {
    const a = new LatchkeyMetrics();
    const b = new LatchkeyMetrics();
    a.observeRequest('valid', 1);
    const textA = await a.text();
    const textB = await b.text();
    assert.equal(sample(textA, 'latchkey_verifications_total{code="valid"}'), 1);
    assert.equal(sample(textB, 'latchkey_verifications_total{code="valid"}'), 0);
    assert.match(textB, /^latchkey_process_cpu_user_seconds_total /m);
    assert.match(textB, /^latchkey_nodejs_heap_size_used_bytes /m);
    const names = [...textA.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1] ?? '');
    assert.ok(names.length > 10);
    assert.deepEqual(names.filter((n) => !n.startsWith('latchkey_')), []);
    assert.match(a.contentType, /^text\/plain/);
  });
});

describe('MeteredUsageRecorder', () => {
  it('counts every record, those without a key too, and hands each to the inner recorder', async () => {
    const metrics = new LatchkeyMetrics({ defaultMetrics: false });
    const received: RequestRecord[] = [];
    const inner: UsageRecorder = { record: (entry) => received.push(entry) };
    const usage = new MeteredUsageRecorder(inner, metrics);
    const records = [requestRecord('ten_a', 'key_a'), requestRecord(null, null, { code: 'malformed_api_key', status: 401 })];
    for (const record of records) usage.record(record);
    assert.deepEqual(received, records);
    const text = await metrics.text();
    assert.equal(sample(text, 'latchkey_verifications_total{code="valid"}'), 1);
    assert.equal(sample(text, 'latchkey_verifications_total{code="malformed_api_key"}'), 1);
  });
});
