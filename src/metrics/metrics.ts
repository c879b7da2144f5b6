// The Prometheus metrics of one server, in a registry of its own (tests build several apps in one process).
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { isErrorCode } from '../core/errors.js';
import type { RequestMeter } from '../usage/metered-usage-recorder.js';
import { VERIFY_FAILURE_CODES } from '../verify/verdict.js';
import { LabelledHistogram } from './labelled-histogram.js';

/** The verifier's plain counters, read at scrape time. */
export interface CacheCounterSource {
  readonly counters: { readonly cacheHits: number; readonly cacheMisses: number };
}

/** The usage writer's queue, read at scrape time. */
export interface UsageQueueSource {
  readonly queueDepth: number;
  readonly countsWaiting: number;
  readonly dropped: number;
}

export interface MetricsSources {
  verifier?: CacheCounterSource | undefined;
  usageQueue?: UsageQueueSource | undefined;
  /** Process metrics of prom-client (CPU, memory, event loop, GC), prefixed `latchkey_`. Default true. */
  defaultMetrics?: boolean;
}

/** Histogram labels: a handful of values, never a code per error (that is what the counter is for). */
const OUTCOMES = ['valid', 'rejected', 'rate_limited', 'unavailable'] as const;
/**
 * Metric names start with `latchkey_`; labels are `code` and `outcome` only, so no key, token, tenant
 * or path ever becomes a label.
 * @example
 * const metrics = new LatchkeyMetrics({ verifier, usageQueue: usageWriter });
 * const usage = new MeteredUsageRecorder(usageWriter, metrics);
 * const text = await metrics.text();
 */
export class LatchkeyMetrics implements RequestMeter {
  readonly registry = new Registry();
  /** Every code a machine request can get, from 0: an alert on one (`unavailable`) has a series before it first happens. */
  private readonly codeCounts = new Map<string, number>(['valid', ...VERIFY_FAILURE_CODES].map((code) => [code, 0]));
  private readonly duration = new LabelledHistogram(
    'latchkey_request_duration_seconds',
    'Time to decide a machine request, by outcome (valid, rejected, rate_limited, unavailable)',
    'outcome',
    OUTCOMES,
    [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  );

  constructor(sources: MetricsSources = {}) {
    const registers = [this.registry];
    const codeCounts = this.codeCounts;
    new Counter({
      name: 'latchkey_verifications_total',
      help: 'Machine requests (M2M API, gateway, verify API) by the code answered: valid or the error code',
      labelNames: ['code'],
      registers,
      collect() {
        this.reset();
        for (const [code, count] of codeCounts) this.inc({ code }, count);
      },
    });
    this.duration.register(this.registry);

    const verifier = sources.verifier;
    new Counter({
      name: 'latchkey_key_cache_hits_total',
      help: 'Key lookups answered by the in-process cache (negative entries included)',
      registers,
      collect() {
        this.reset();
        this.inc(verifier?.counters.cacheHits ?? 0);
      },
    });
    new Counter({
      name: 'latchkey_key_cache_misses_total',
      help: 'Key lookups that went to storage',
      registers,
      collect() {
        this.reset();
        this.inc(verifier?.counters.cacheMisses ?? 0);
      },
    });
    new Gauge({
      name: 'latchkey_key_cache_hit_ratio',
      help: 'Cache hits / (hits + misses) since start; 0 before the first lookup',
      registers,
      collect() {
        const hits = verifier?.counters.cacheHits ?? 0;
        const total = hits + (verifier?.counters.cacheMisses ?? 0);
        this.set(total === 0 ? 0 : hits / total);
      },
    });

    const queue = sources.usageQueue;
    new Gauge({
      name: 'latchkey_usage_queue_depth',
      help: 'Machine requests waiting to be written to the request log',
      registers,
      collect() {
        this.set(queue?.queueDepth ?? 0);
      },
    });
    new Gauge({
      name: 'latchkey_usage_counts_waiting',
      help: 'Usage counters (per key, minute and outcome) and last uses waiting to be written; they grow while storage is down, whatever LATCHKEY_REQUEST_LOG is',
      registers,
      collect() {
        this.set(queue?.countsWaiting ?? 0);
      },
    });
    new Counter({
      name: 'latchkey_usage_dropped_total',
      help: 'Request-log rows dropped because storage stayed unreachable while the queue was full (usage counters are kept)',
      registers,
      collect() {
        this.reset();
        this.inc(queue?.dropped ?? 0);
      },
    });

    if (sources.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'latchkey_' });
  }

  /** The hot path: a map increment and a histogram observation (typed arrays). Never throws. */
  observeRequest(code: string, latencyMs: number): void {
    // Only the contract's codes become label values, so a bug elsewhere cannot grow the series without bound.
    const label = code === 'valid' || isErrorCode(code) ? code : 'other';
    this.codeCounts.set(label, (this.codeCounts.get(label) ?? 0) + 1);
    const outcome = code === 'valid' ? 0 : code === 'rate_limited' ? 2 : code === 'unavailable' ? 3 : 1;
    this.duration.observe(outcome, Number.isFinite(latencyMs) && latencyMs > 0 ? latencyMs / 1000 : 0);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
