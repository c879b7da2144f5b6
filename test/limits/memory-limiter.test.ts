import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenBucketLimiter } from '../../src/limits/memory-limiter.js';
import type { RateLimitRule } from '../../src/limits/rate-limiter.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0); // a whole second, so Unix-second figures are easy to state

const pick = ({ allowed, remaining, resetAt }: { allowed: boolean; remaining: number; resetAt: number }) => ({ allowed, remaining, resetAt });

describe('TokenBucketLimiter', () => {
  it('passes exactly `burst` immediate takes, then denies with Retry-After 12 s for 5 rpm', () => {
    const limiter = new TokenBucketLimiter();
    const rule = { requestsPerMinute: 5, burst: 5 };
    const remaining = [];
    for (let i = 0; i < 5; i++) {
      const decision = limiter.take('key_a', rule, T0);
      assert.equal(decision.allowed, true, `take ${i + 1}`);
      assert.equal(decision.retryAfterSeconds, 0);
      remaining.push(decision.remaining);
    }
    assert.deepEqual(remaining, [4, 3, 2, 1, 0]);
    const denied = limiter.take('key_a', rule, T0);
    assert.equal(denied.allowed, false);
    assert.equal(denied.remaining, 0);
    assert.equal(denied.retryAfterSeconds, 12);
    assert.equal(denied.nextTokenSeconds, 12);
  });

  it('a take of 0 reads the bucket without taking from it or making one', () => {
    const limiter = new TokenBucketLimiter();
    const rule = { requestsPerMinute: 5, burst: 5 };
    assert.deepEqual(pick(limiter.take('key_a', rule, T0, 0)), { allowed: true, remaining: 5, resetAt: T0 / 1000 });
    assert.equal(limiter.size, 0);
    limiter.take('key_a', rule, T0);
    limiter.take('key_a', rule, T0);
    assert.deepEqual(pick(limiter.take('key_a', rule, T0, 0)), { allowed: true, remaining: 3, resetAt: T0 / 1000 + 24 });
    assert.equal(limiter.take('key_a', rule, T0 + 12_000, 0).remaining, 4, 'refilled by then');
    assert.deepEqual([1, 2, 3, 4, 5].map(() => limiter.take('key_a', rule, T0 + 12_000).allowed), [true, true, true, true, false]);
  });

  it('refills continuously: one token back after 60/rpm seconds, not before', () => {
    const limiter = new TokenBucketLimiter();
    const rule = { requestsPerMinute: 5, burst: 5 };
    for (let i = 0; i < 5; i++) limiter.take('key_a', rule, T0);
    const early = limiter.take('key_a', rule, T0 + 11_999);
    assert.equal(early.allowed, false);
    assert.equal(early.retryAfterSeconds, 1, 'one millisecond short rounds up to a whole second');
    assert.equal(limiter.take('key_a', rule, T0 + 12_000).allowed, true);
    assert.equal(limiter.take('key_a', rule, T0 + 12_000).allowed, false);
    // Half a token accrues in 6 s: a deny after that says 6 s more.
    assert.equal(limiter.take('key_a', rule, T0 + 18_000).retryAfterSeconds, 6);
  });

  it('is full again after the window, never above burst', () => {
    const limiter = new TokenBucketLimiter();
    const rule = { requestsPerMinute: 60, burst: 10 };
    for (let i = 0; i < 10; i++) limiter.take('key_a', rule, T0);
    const later = limiter.take('key_a', rule, T0 + 3_600_000);
    assert.equal(later.allowed, true);
    assert.equal(later.remaining, 9, 'an hour idle refills to burst, not to 3600 tokens');
  });

  it('reports limit, remaining, reset and window for several rules', () => {
    const cases: { rule: RateLimitRule; takes: number; limit: number; remaining: number; resetIn: number; window: number; next: number }[] = [
      // 60 rpm = 1 token/s: after 1 take, full again in 1 s; window 10 s.
      { rule: { requestsPerMinute: 60, burst: 10 }, takes: 1, limit: 10, remaining: 9, resetIn: 1, window: 10, next: 1 },
      // 100 rpm, burst 100: 3 tokens short, refilled at 5/3 per second: 1.8 s, rounded up.
      { rule: { requestsPerMinute: 100, burst: 100 }, takes: 3, limit: 100, remaining: 97, resetIn: 2, window: 60, next: 1 },
      // 5 rpm, burst 5: 2 tokens short = 24 s; the next token 12 s after.
      { rule: { requestsPerMinute: 5, burst: 5 }, takes: 2, limit: 5, remaining: 3, resetIn: 24, window: 60, next: 12 },
      // 1 rpm, burst 3: window 180 s.
      { rule: { requestsPerMinute: 1, burst: 3 }, takes: 1, limit: 3, remaining: 2, resetIn: 60, window: 180, next: 60 },
      // burst above rpm: 1000 rpm, burst 2000, window 120 s.
      { rule: { requestsPerMinute: 1000, burst: 2000 }, takes: 1, limit: 2000, remaining: 1999, resetIn: 1, window: 120, next: 1 },
    ];
    for (const c of cases) {
      const limiter = new TokenBucketLimiter();
      let decision = limiter.take('key_a', c.rule, T0);
      for (let i = 1; i < c.takes; i++) decision = limiter.take('key_a', c.rule, T0);
      const label = JSON.stringify(c.rule);
      assert.equal(decision.limit, c.limit, label);
      assert.equal(decision.remaining, c.remaining, label);
      assert.equal(decision.resetAt, T0 / 1000 + c.resetIn, label);
      assert.equal(decision.windowSeconds, c.window, label);
      assert.equal(decision.nextTokenSeconds, c.next, label);
    }
  });

  it('applies a changed rule at once: a smaller burst clamps the tokens, a larger one refills to it', () => {
    const limiter = new TokenBucketLimiter();
    const wide = { requestsPerMinute: 100, burst: 100 };
    assert.equal(limiter.take('key_a', wide, T0).remaining, 99);
    const narrow = { requestsPerMinute: 3, burst: 3 };
    const clamped = limiter.take('key_a', narrow, T0);
    assert.equal(clamped.limit, 3);
    assert.equal(clamped.remaining, 2, '99 tokens clamped to the new capacity of 3, minus this take');
    limiter.take('key_a', narrow, T0);
    limiter.take('key_a', narrow, T0);
    const denied = limiter.take('key_a', narrow, T0);
    assert.equal(denied.allowed, false);
    assert.equal(denied.retryAfterSeconds, 20, '3 rpm: a token every 20 s');
    // Raised again: the bucket keeps its (empty) state and refills at the new rate up to the new burst.
    const raised = limiter.take('key_a', { requestsPerMinute: 600, burst: 50 }, T0 + 1000);
    assert.equal(raised.allowed, true);
    assert.equal(raised.remaining, 9, '10 tokens in one second at 600 rpm, minus this take');
  });

  it('keeps buckets apart', () => {
    const limiter = new TokenBucketLimiter();
    const rule = { requestsPerMinute: 1, burst: 1 };
    assert.equal(limiter.take('key_a', rule, T0).allowed, true);
    assert.equal(limiter.take('key_a', rule, T0).allowed, false);
    assert.equal(limiter.take('key_b', rule, T0).allowed, true);
  });

  it('does not refill twice when the clock steps back', () => {
    const limiter = new TokenBucketLimiter();
    const rule = { requestsPerMinute: 60, burst: 1 };
    assert.equal(limiter.take('key_a', rule, T0 + 10_000).allowed, true);
    assert.equal(limiter.take('key_a', rule, T0).allowed, false, 'an earlier clock adds nothing');
    assert.equal(limiter.take('key_a', rule, T0 + 10_500).allowed, false, 'only 0.5 s since the latest stamp');
    assert.equal(limiter.take('key_a', rule, T0 + 11_000).allowed, true);
  });

  it('stays within maxBuckets however many keys come', () => {
    const limiter = new TokenBucketLimiter(100);
    const rule = { requestsPerMinute: 10, burst: 10 };
    for (let i = 0; i < 10_000; i++) {
      limiter.take(`key_${i}`, rule, T0 + i);
      assert.ok(limiter.size <= 100, `size ${limiter.size} after ${i + 1} keys`);
    }
    assert.equal(limiter.size, 100);
  });

  it('at maxBuckets drops full buckets before one that is still refilling', () => {
    const limiter = new TokenBucketLimiter(10);
    const slow = { requestsPerMinute: 1, burst: 1 };
    assert.equal(limiter.take('drained', slow, T0).allowed, true);
    // Fast buckets are full again 6 ms after their take (10,000 rpm); the drained one needs 60 s.
    const fast = { requestsPerMinute: 10_000, burst: 5 };
    for (let i = 0; i < 500; i++) limiter.take(`busy_${i}`, fast, T0 + 10 * i);
    assert.ok(limiter.size <= 10);
    assert.equal(limiter.take('drained', slow, T0 + 5_000).allowed, false, 'the drained bucket kept its state');
  });

  it('drops buckets that have been full for a while as new keys come, long before maxBuckets', () => {
    const limiter = new TokenBucketLimiter(1_000_000);
    const rule = { requestsPerMinute: 60, burst: 1 };
    for (let i = 0; i < 1000; i++) limiter.take(`old_${i}`, rule, T0);
    // An hour later, every old bucket is full; new keys sweep them out two at a time.
    for (let i = 0; i < 1000; i++) limiter.take(`new_${i}`, rule, T0 + 3_600_000);
    assert.ok(limiter.size <= 1100, `size ${limiter.size}`);
  });
});
