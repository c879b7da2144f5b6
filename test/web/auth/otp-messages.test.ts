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

  it('has a plain, distinct headline for each code error', () => {
    const codes = ['otp_invalid', 'otp_expired', 'otp_locked', 'rate_limited'];
    const headlines = codes.map((code) => otpHeadline(new ApiError({ status: 401, code, details: 'x' })));
    for (const [i, headline] of headlines.entries()) assert.ok(headline, codes[i]);
    assert.equal(new Set(headlines).size, codes.length, 'each error reads differently');
    assert.match(otpHeadline(new ApiError({ status: 401, code: 'otp_locked', details: 'x' })) ?? '', /too many wrong tries/);
    assert.equal(otpHeadline(new ApiError({ status: 500, code: 'internal', details: 'x' })), null);
  });
});
