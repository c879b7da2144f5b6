import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenBucketLimiter } from '../../src/limits/memory-limiter.js';
import { rateLimitHeaders } from '../../src/limits/rate-limit-headers.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const T0_SECONDS = T0 / 1000;

describe('rateLimitHeaders', () => {
  it('gives the X-RateLimit-* figures and the IETF fields for an allowed request, without Retry-After', () => {
    const decision = new TokenBucketLimiter().take('key_a', { requestsPerMinute: 60, burst: 10 }, T0);
    assert.deepEqual(rateLimitHeaders(decision), {
      'x-ratelimit-limit': '10',
      'x-ratelimit-remaining': '9',
      'x-ratelimit-reset': String(T0_SECONDS + 1),
      'x-ratelimit-window': '10',
      'ratelimit-policy': '"default";q=10;w=10',
      ratelimit: '"default";r=9;t=1',
    });
  });

  it('adds Retry-After on a deny, and RateLimit t equals it (the draft: Retry-After not before the window ends)', () => {
    const limiter = new TokenBucketLimiter();
    const rule = { requestsPerMinute: 5, burst: 5 };
    for (let i = 0; i < 5; i++) limiter.take('key_a', rule, T0);
    const headers = rateLimitHeaders(limiter.take('key_a', rule, T0));
    assert.equal(headers['retry-after'], '12');
    assert.equal(headers['x-ratelimit-remaining'], '0');
    assert.equal(headers['x-ratelimit-reset'], String(T0_SECONDS + 60));
    assert.equal(headers['x-ratelimit-window'], '60');
    assert.equal(headers['ratelimit-policy'], '"default";q=5;w=60');
    assert.equal(headers.ratelimit, '"default";r=0;t=12');
  });

  it('sets RateLimit t to the time until the next whole token, not until the bucket is full', () => {
    const limiter = new TokenBucketLimiter();
    const rule = { requestsPerMinute: 6, burst: 6 };
    limiter.take('key_a', rule, T0);
    limiter.take('key_a', rule, T0);
    // 4 tokens left, 6 rpm = one every 10 s: full in 20 s, but a 5th request fits after 10 s.
    const headers = rateLimitHeaders(limiter.take('key_a', rule, T0 + 4_000));
    assert.equal(headers['x-ratelimit-remaining'], '3');
    assert.equal(headers.ratelimit, '"default";r=3;t=6', '0.4 token accrued in 4 s; 0.6 token = 6 s to the next');
    assert.equal(headers['x-ratelimit-reset'], String(T0_SECONDS + 4 + 26), '2.6 tokens short at 10 s each');
  });

  it('writes the IETF fields as Structured Field lists that a strict parser accepts', () => {
    const decision = new TokenBucketLimiter().take('key_a', { requestsPerMinute: 100_000, burst: 100_000 }, T0);
    const headers = rateLimitHeaders(decision);
    // sf-string name, then ;key=integer parameters (RFC 9651: lowercase keys, integers without signs or dots).
    const item = /^"[\x20-\x21\x23-\x5b\x5d-\x7e]*"(;[a-z*][a-z0-9_.*-]*=\d{1,15})+$/;
    assert.match(headers['ratelimit-policy']!, item);
    assert.match(headers.ratelimit!, item);
    assert.equal(headers['ratelimit-policy'], '"default";q=100000;w=60');
  });
});
