// The in-memory side of the usage writer: raw records, then request-log rows, counters and last uses waiting for storage.
import { newId } from '../core/ids.js';
import { redactSecretsIn } from '../core/redaction.js';
import { keepsRow, type RequestLogMode } from '../core/request-log-mode.js';
import { toStored } from '../core/time.js';
import type { RequestLogRow } from '../store/request-log-store.js';
import type { LastUseStamp, UsageCount } from '../store/usage-store.js';
import type { RequestRecord } from './usage-recorder.js';

/** Counters and last uses without request-log rows: what the writer thread gets for requests not logged. */
export type UsageTally = Pick<UsageBatch, 'counts' | 'lastUses'>;

/** What one transaction writes; retried whole, under the same id, when it fails. */
export interface UsageBatch {
  /** Stored with the batch (PostgreSQL), so that a retry of a batch already in is skipped. */
  id: string;
  logs: RequestLogRow[];
  counts: UsageCount[];
  lastUses: LastUseStamp[];
}

interface Counter {
  keyId: string;
  tenantId: string;
  minuteMs: number;
  outcome: string;
  count: number;
}

interface LastUse {
  at: number;
  ip: string | null;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/**
 * Counters (one per key, minute and outcome) kept before the older ones are summed up: while storage is down
 * for long, with many keys, they would otherwise grow without bound (5000 keys for an hour: 600k).
 */
const MAX_COUNTERS = 100_000;

/**
 * Records arrive on the request path. Those that become request-log rows are only pushed, and sorted into
 * rows, counters and last uses later (`absorb`), at a flush or when `maxQueue` raw records pile up; the others
 * (`logMode` decides) are counted at once and not kept. While storage is down,
 * counters and last uses stay aggregated (one entry per key, minute and outcome), so only request-log rows
 * are ever dropped: the oldest first, once more than `maxQueue` wait. Past `maxCounters` counters, those of
 * past hours are summed per hour (stored at the hour's first minute), then those of past days per day: totals
 * stay right, and only the minute-by-minute detail of a long outage is lost. `logMode` decides which records
 * become rows; every record is counted.
 */
export class UsageQueue {
  private pending: RequestRecord[] = [];
  private logs: RequestLogRow[] = [];
  private counters = new Map<string, Counter>();
  private lastUses = new Map<string, LastUse>();
  /** A batch that could not be written: taken again, as it is, before any other. */
  private retry: UsageBatch | undefined;
  private droppedRows = 0;
  /** Counters past which `rollUp` next runs: doubled after a pass that left many (all of the current hour). */
  private rollUpAbove: number;

  constructor(
    private readonly maxQueue: number,
    private readonly logMode: RequestLogMode = 'all',
    private readonly maxCounters = MAX_COUNTERS,
  ) {
    this.rollUpAbove = maxCounters;
  }

  /**
   * The hot path: one push, no other allocation, for a record that becomes a row. One that does not is counted
   * at once and not kept: held until the next sort, it would outlive the young generation and cost the garbage
   * collector a full pass. Records without a key or tenant only feed metrics.
   */
  push(entry: RequestRecord): void {
    if (entry.tenantId === null) return;
    if (this.logMode !== 'all' && !keepsRow(this.logMode, entry)) {
      this.count(entry, entry.tenantId);
      return;
    }
    this.pending.push(entry);
    if (this.pending.length >= this.maxQueue) this.absorb();
  }

  /** Requests waiting to be written as request-log rows. */
  get depth(): number {
    return this.pending.length + this.logs.length + (this.retry?.logs.length ?? 0);
  }

  /** Usage counters (per key, minute and outcome) and last uses sorted out of requests and waiting to be written. */
  get countsWaiting(): number {
    return this.counters.size + this.lastUses.size + (this.retry ? this.retry.counts.length + this.retry.lastUses.length : 0);
  }

  /** Request-log rows dropped since start because storage stayed unreachable too long. */
  get dropped(): number {
    return this.droppedRows;
  }

  get isEmpty(): boolean {
    return this.pending.length === 0 && this.logs.length === 0 && this.counters.size === 0 && this.lastUses.size === 0 && this.retry === undefined;
  }

  /** Raw records not sorted yet. */
  get unsorted(): number {
    return this.pending.length;
  }

  /**
   * Sorts up to `limit` raw records, oldest first, into rows, counters and last uses. A flush sorts a
   * second's records a slice at a time, so that requests are served in between.
   */
  absorb(limit = Number.POSITIVE_INFINITY): void {
    const pending = this.pending.length <= limit ? this.pending : this.pending.splice(0, limit);
    if (pending === this.pending) this.pending = [];
    for (const entry of pending) {
      if (entry.tenantId === null) continue;
      // A time that is not a number would make toISOString throw here, far from the caller that sent it.
      const at = Number.isFinite(entry.at) ? entry.at : Date.now();
      if (keepsRow(this.logMode, entry)) this.logs.push(toRow(entry, entry.tenantId, at));
      this.count(entry, entry.tenantId, at);
    }
    this.trim();
    // Also when nothing was pending: requests without rows were counted as they came.
    this.rollUp();
  }

  /** Adds the request to its key's counter of the minute and outcome, and stamps the key's last use. */
  private count(entry: RequestRecord, tenantId: string, at = Number.isFinite(entry.at) ? entry.at : Date.now()): void {
    if (entry.keyId === null) return;
    addCount(this.counters, entry.keyId, tenantId, at - (at % MINUTE_MS), entry.code, 1);
    if (entry.code === 'valid') keepNewest(this.lastUses, entry.keyId, at, entry.ip);
  }

  /**
   * Takes the batch kept for a retry, if any; else up to `maxLogs` request-log rows, and all counters and last
   * uses with the first batch, under a new id; `undefined` when nothing waits.
   */
  take(maxLogs: number): UsageBatch | undefined {
    if (this.retry !== undefined) {
      const retry = this.retry;
      this.retry = undefined;
      return retry;
    }
    if (this.logs.length === 0 && this.counters.size === 0 && this.lastUses.size === 0) return undefined;
    const logs = this.logs.length <= maxLogs ? this.logs : this.logs.slice(0, maxLogs);
    this.logs = logs === this.logs ? [] : this.logs.slice(maxLogs);
    // In one order on every node (key, minute, outcome), whatever order the requests came in: two nodes' batches
    // touching the same rows then lock them in the same order, and cannot deadlock on PostgreSQL.
    const counts = [...this.counters.values()]
      .map((c) => ({ keyId: c.keyId, tenantId: c.tenantId, minute: toStored(new Date(c.minuteMs)), outcome: c.outcome, count: c.count }))
      .sort((a, b) => byText(a.keyId, b.keyId) || byText(a.minute, b.minute) || byText(a.outcome, b.outcome));
    const lastUses = [...this.lastUses]
      .map(([keyId, use]) => ({ keyId, at: toStored(new Date(use.at)), ip: use.ip }))
      .sort((a, b) => byText(a.keyId, b.keyId));
    this.counters = new Map();
    this.lastUses = new Map();
    this.rollUpAbove = this.maxCounters;
    return { id: newId('bat'), logs, counts, lastUses };
  }

  /**
   * Keeps a batch that could not be written, to be taken again as it is: under the same id, so that storage can
   * tell a batch that did go in (its COMMIT's answer was lost) and skip it. Its rows count toward `maxQueue` and,
   * being the oldest, are the first dropped; its counters and last uses never are.
   */
  keepForRetry(batch: UsageBatch): void {
    this.retry = batch;
    this.trim();
  }

  /** Adds counters and last uses sorted elsewhere (the writer thread gets those of unlogged requests so). */
  addTally(tally: UsageTally): void {
    for (const c of tally.counts) addCount(this.counters, c.keyId, c.tenantId, Date.parse(c.minute), c.outcome, c.count);
    for (const use of tally.lastUses) keepNewest(this.lastUses, use.keyId, Date.parse(use.at), use.ip);
    this.rollUp();
  }

  /** Over `maxCounters`: sums the counters of past hours per hour, then (still over) those of past days per day. */
  private rollUp(): void {
    if (this.counters.size <= this.rollUpAbove) return;
    let newest = 0;
    for (const c of this.counters.values()) if (c.minuteMs > newest) newest = c.minuteMs;
    for (const unit of [HOUR_MS, DAY_MS]) {
      if (this.counters.size <= this.maxCounters) break;
      const current = newest - (newest % unit);
      const summed = new Map<string, Counter>();
      for (const c of this.counters.values()) addCount(summed, c.keyId, c.tenantId, c.minuteMs < current ? c.minuteMs - (c.minuteMs % unit) : c.minuteMs, c.outcome, c.count);
      this.counters = summed;
    }
    // Those left are of the current hour and day, which a pass cannot sum: wait until there are twice as many,
    // so that each counter pays for a bounded share of the passes (one on every absorb cost 330 ms at 150k).
    this.rollUpAbove = this.counters.size <= this.maxCounters ? this.maxCounters : 2 * this.counters.size;
  }

  private trim(): void {
    let excess = this.depth - this.pending.length - this.maxQueue;
    if (excess <= 0) return;
    if (this.retry !== undefined) {
      const fromRetry = Math.min(excess, this.retry.logs.length);
      this.retry.logs.splice(0, fromRetry);
      this.droppedRows += fromRetry;
      excess -= fromRetry;
    }
    this.logs.splice(0, excess);
    this.droppedRows += excess;
  }
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function keepNewest(uses: Map<string, LastUse>, keyId: string, at: number, ip: string | null): void {
  const previous = uses.get(keyId);
  if (previous === undefined) uses.set(keyId, { at, ip });
  else if (previous.at <= at) {
    previous.at = at;
    previous.ip = ip;
  }
}

function toRow(entry: RequestRecord, tenantId: string, at: number): RequestLogRow {
  return {
    id: entry.id,
    at: storedTime(at),
    tenant_id: tenantId,
    key_id: entry.keyId,
    method: entry.method,
    // The recorder already drops the query; cutting again keeps a key sent in a URL out of storage regardless,
    // and a key pasted into the path itself is stored redacted.
    path: redactSecretsIn(withoutQuery(entry.path)),
    status: entry.status,
    code: entry.code,
    latency_ms: entry.latencyMs,
    ip: entry.ip,
    environment: entry.environment,
  };
}

let lastMs = Number.NaN;
let lastStored = '';

/** `toStored` for epoch ms, remembering the last answer: requests of one millisecond arrive together. */
function storedTime(ms: number): string {
  if (ms !== lastMs) {
    lastStored = toStored(new Date(ms));
    lastMs = ms;
  }
  return lastStored;
}

function withoutQuery(path: string): string {
  const q = path.indexOf('?');
  return q === -1 ? path : path.slice(0, q);
}

/** Adds `count` to the counter of this key, minute and outcome in `counters`, making it when there is none. */
function addCount(counters: Map<string, Counter>, keyId: string, tenantId: string, minuteMs: number, outcome: string, count: number): void {
  const id = `${keyId}\u0000${minuteMs}\u0000${outcome}`;
  const existing = counters.get(id);
  if (existing) existing.count += count;
  else counters.set(id, { keyId, tenantId, minuteMs, outcome, count });
}
