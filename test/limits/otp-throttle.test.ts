import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryOtpThrottle } from '../../src/limits/otp-throttle.js';

function clock(start = Date.UTC(2026, 0, 1)): { now: () => number; advance: (ms: number) => void } {
  let current = start;
  return { now: () => current, advance: (ms) => (current += ms) };
}

describe('MemoryOtpThrottle', () => {
  it('grants a cooldown once, then refuses with the seconds left until it ends', async () => {
    const time = clock();
    const throttle = new MemoryOtpThrottle(time.now);
    assert.deepEqual(await throttle.claimCooldown('scope-a', 60), { ok: true });
    assert.deepEqual(await throttle.claimCooldown('scope-a', 60), { ok: false, retryAfterSeconds: 60 });
    time.advance(59_001);
    assert.deepEqual(await throttle.claimCooldown('scope-a', 60), { ok: false, retryAfterSeconds: 1 });
    time.advance(999);
    assert.deepEqual(await throttle.claimCooldown('scope-a', 60), { ok: true }, 'the cooldown ended');
  });

  it('keeps scopes apart and lets a released cooldown be claimed again', async () => {
    const throttle = new MemoryOtpThrottle(clock().now);
    assert.equal((await throttle.claimCooldown('scope-a', 60)).ok, true);
    assert.equal((await throttle.claimCooldown('scope-b', 60)).ok, true);
    await throttle.releaseCooldown('scope-a');
    assert.equal((await throttle.claimCooldown('scope-a', 60)).ok, true);
    assert.equal((await throttle.claimCooldown('scope-b', 60)).ok, false);
  });

  it('counts wrong tries per challenge, and forgets them after the TTL', async () => {
    const time = clock();
    const throttle = new MemoryOtpThrottle(time.now);
    const counts = [];
    for (let i = 0; i < 5; i++) counts.push((await throttle.incrementTries('chl_1', 600)).count);
    assert.deepEqual(counts, [1, 2, 3, 4, 5]);
    assert.equal((await throttle.incrementTries('chl_2', 600)).count, 1);
    time.advance(600_000);
    assert.equal((await throttle.incrementTries('chl_1', 600)).count, 1);
  });

  it('counts from the first try: later tries do not stretch the window', async () => {
    const time = clock();
    const throttle = new MemoryOtpThrottle(time.now);
    assert.equal((await throttle.incrementTries('hour', 3600)).count, 1);
    time.advance(3_599_000);
    assert.equal((await throttle.incrementTries('hour', 3600)).count, 2);
    time.advance(1000);
    assert.equal((await throttle.incrementTries('hour', 3600)).count, 1, 'an hour after the first try, the count starts again');
    assert.equal((await throttle.incrementTries('hour', 3600)).resetInSeconds, 3600);
    time.advance(600_000);
    assert.deepEqual(await throttle.incrementTries('hour', 3600), { count: 3, resetInSeconds: 3000 });
  });

  it('holds at most maxEntries, dropping expired entries first', async () => {
    const time = clock();
    const throttle = new MemoryOtpThrottle(time.now, 100);
    for (let i = 0; i < 50; i++) await throttle.claimCooldown(`short-${i}`, 1);
    await throttle.claimCooldown('long', 3600);
    time.advance(2000);
    for (let i = 0; i < 60; i++) await throttle.claimCooldown(`new-${i}`, 60);
    assert.equal((await throttle.claimCooldown('long', 3600)).ok, false, 'expired entries made room; the running one stayed');
    for (let i = 0; i < 1000; i++) await throttle.claimCooldown(`flood-${i}`, 60);
    assert.equal((await throttle.claimCooldown('flood-999', 60)).ok, false, 'the newest entries are kept');
    assert.equal((await throttle.claimCooldown('flood-0', 60)).ok, true, 'past maxEntries the oldest went');
  });
});
