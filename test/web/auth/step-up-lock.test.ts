import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../web/src/api/api-error.js';
import { blockedStepUpCode, isBlockedCodesCooldown, withServerWait } from '../../../web/src/auth/step-up-lock.js';

const locked = new ApiError({ status: 401, code: 'otp_locked', details: 'x' });

describe('a blocked step-up code, as the dashboard remembers it', () => {
  it('keeps when a new code may be asked for, as the countdown had it, or now when it had run out', () => {
    assert.deepEqual(blockedStepUpCode(locked, 1_042_000, 1_000_000), { error: locked, lockedAt: 1_000_000, newCodeAt: 1_042_000 });
    assert.equal(blockedStepUpCode(locked, 0, 1_000_000).newCodeAt, 1_000_000, 'no countdown left: a new code now');
  });

  it("takes a cooldown within a minute of the block for the blocked code's, and a later one for a code sent since", () => {
    const lock = blockedStepUpCode(locked, 1_042_000, 1_000_000);
    assert.equal(isBlockedCodesCooldown(lock, 1_000_000), true);
    assert.equal(isBlockedCodesCooldown(lock, 1_059_999), true, 'later than the countdown said: its estimate may be short');
    assert.equal(isBlockedCodesCooldown(lock, 1_060_000), false, 'the blocked code was sent before the block, so its cooldown is over');
    assert.equal(isBlockedCodesCooldown(lock, 999_000), false, 'a clock set back says nothing');
  });

  it("waits what the server's cooldown answer says", () => {
    const lock = blockedStepUpCode(locked, 1_042_000, 1_000_000);
    assert.deepEqual(withServerWait(lock, 44, 1_000_500), { ...lock, newCodeAt: 1_044_500 });
  });
});
