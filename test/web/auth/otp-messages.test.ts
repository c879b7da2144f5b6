import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../web/src/api/api-error.js';
import { codeDigits, otpHeadline, resendDelay } from '../../../web/src/auth/otp-messages.js';

describe('sign-in code helpers', () => {
  it('keeps the six digits of a pasted code', () => {
    assert.equal(codeDigits(' 123 456 '), '123456');
    assert.equal(codeDigits('123-456'), '123456');
    assert.equal(codeDigits('12345678'), '123456');
    assert.equal(codeDigits('abc'), '');
  });

  it('waits what the server says, else 60 seconds', () => {
    assert.equal(resendDelay(42), 42);
    assert.equal(resendDelay(undefined), 60);
    assert.equal(resendDelay(null), 60);
  });

  it('has a plain headline for each code error', () => {
    for (const code of ['otp_invalid', 'otp_expired', 'otp_locked', 'rate_limited']) {
      assert.ok(otpHeadline(new ApiError({ status: 401, code, details: 'x' })), code);
    }
    assert.match(otpHeadline(new ApiError({ status: 401, code: 'otp_locked', details: 'x' })) ?? '', /new code/);
    assert.equal(otpHeadline(new ApiError({ status: 500, code: 'internal', details: 'x' })), null);
  });
});
