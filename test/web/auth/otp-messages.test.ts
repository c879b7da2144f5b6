import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../web/src/api/api-error.js';
import { codeDigits, otpDetails, otpHeadline, resendDelay, resendLabel } from '../../../web/src/auth/otp-messages.js';

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

  it('does not repeat the headline, and counts a cooldown with the countdown of the resend button', () => {
    const wrong = new ApiError({ status: 401, code: 'otp_invalid', details: 'The code is wrong; try again.' });
    const text = `${otpHeadline(wrong)} ${otpDetails(wrong, 0)}`;
    assert.doesNotMatch(text, /wrong.*wrong/i, text);
    const cooldown = new ApiError({ status: 429, code: 'rate_limited', details: 'A code was sent moments ago; request another in 51 seconds.', retryAfterSeconds: 51 });
    assert.match(otpDetails(cooldown, 50), /\b50 s\b/);
    assert.doesNotMatch(otpDetails(cooldown, 50), /51/);
    assert.match(otpDetails(new ApiError({ status: 401, code: 'otp_locked', details: 'x' }), 0), /Send a new code/);
  });

  it('does not promise that the code holding a cooldown can still sign in, and says so when this tab signed in with it', () => {
    const cooldown = new ApiError({ status: 429, code: 'rate_limited', details: 'x', retryAfterSeconds: 56 });
    const unknown = `${otpHeadline(cooldown)} ${otpDetails(cooldown, 56)}`;
    assert.equal(unknown, 'A code was sent less than a minute ago. Enter it if you have not used it yet, or ask for a new one in 56 s.');
    assert.doesNotMatch(unknown, /use the code already sent/i);
    assert.equal(otpHeadline(cooldown, true), 'The code you signed in with is used up.');
    assert.equal(otpDetails(cooldown, 56, true), 'You can ask for a new code in 56 s.');
    assert.equal(otpDetails(cooldown, 0, true), 'Press “Send a new code” to get another.');
    assert.equal(otpHeadline(new ApiError({ status: 401, code: 'otp_invalid', details: 'x' }), true), 'Wrong code.', 'only a cooldown reads differently');
  });

  it('says of a step-up code blocked in an earlier panel that it was the last code, never pointing at it as sent', () => {
    const locked = new ApiError({ status: 401, code: 'otp_locked', details: 'x' });
    const cooldown = new ApiError({ status: 429, code: 'rate_limited', details: 'x', retryAfterSeconds: 42 });
    for (const error of [locked, cooldown]) {
      const text = `${otpHeadline(error, false, true)} ${otpDetails(error, 42, false, true)}`;
      assert.equal(text, 'The last code was blocked after too many wrong tries. You can ask for a new code in 42 s.', error.code);
      assert.doesNotMatch(text, /already sent|Enter it/);
    }
    assert.equal(otpDetails(cooldown, 0, false, true), 'Press “Send a new code” to get another.');
    assert.equal(otpHeadline(locked), 'Code blocked after too many wrong tries.', 'a block met in the panel itself reads as before');
    assert.equal(otpHeadline(new ApiError({ status: 401, code: 'otp_invalid', details: 'x' }), false, true), 'Wrong code.');
  });

  it('says when a new code can be asked for while a blocked code waits out its cooldown, as the button counts', () => {
    const locked = new ApiError({ status: 401, code: 'otp_locked', details: 'x' });
    assert.equal(otpDetails(locked, 56), 'You can ask for a new code in 56 s.');
    assert.equal(resendLabel(56, 'Send a new code'), 'Send a new code in 56 s');
    assert.equal(resendLabel(0, 'Send a new code'), 'Send a new code');
  });
});
