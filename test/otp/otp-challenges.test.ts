import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryOtpThrottle } from '../../src/limits/otp-throttle.js';
import { type OtpChannel, type OtpMessage, DeliveryError } from '../../src/otp/otp-channel.js';
import { OtpChallenges, OTP_RULES } from '../../src/otp/otp-challenges.js';
import { ServerKey } from '../../src/otp/server-key.js';
import { migrate, openDatabase } from '../../src/store/database.js';
import { OtpStore } from '../../src/store/otp-store.js';
import { ManualClock, type Cleanup } from '../support/test-app.js';

/** Keeps what it is given, or fails every delivery while `failing` is set. */
class Outbox implements OtpChannel {
  sent: OtpMessage[] = [];
  failing = false;
  deliver(message: OtpMessage): Promise<void> {
    if (this.failing) return Promise.reject(new DeliveryError('the test outbox refuses'));
    this.sent.push(message);
    return Promise.resolve();
  }
  last(): OtpMessage {
    const message = this.sent.at(-1);
    assert.ok(message, 'a code was sent');
    return message;
  }
}

async function setup(t: Cleanup) {
  const database = openDatabase('sqlite::memory:');
  await migrate(database.db);
  t.after(() => database.close());
  const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
  const warnings: string[] = [];
  const store = new OtpStore(database.db);
  const challenges = new OtpChallenges(store, new MemoryOtpThrottle(() => clock.now().getTime()), new ServerKey(store, clock), clock, {
    warn: (fields, message) => warnings.push(`${message} ${JSON.stringify(fields)}`),
  });
  const outbox = new Outbox();
  const signInCode = (address = 'ann@example.com') =>
    challenges.issue({ purpose: 'sign_in', address, subject: address, channelName: 'email', channel: outbox, userId: 'usr_1' });
  return { database, clock, challenges, outbox, signInCode, warnings };
}

function wrong(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

async function rejection(promise: Promise<unknown>): Promise<{ code: string; headers?: Record<string, string> }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; headers?: Record<string, string> };
  }
  assert.fail('expected a rejection');
}

describe('OTP challenges', () => {
  it('sends a 6-digit code valid 10 minutes by e-mail and 5 by WhatsApp, and stores only its keyed digest', async (t) => {
    const { database, challenges, outbox, signInCode } = await setup(t);
    await signInCode();
    const message = outbox.last();
    assert.match(message.code, /^\d{6}$/);
    assert.equal(message.validMinutes, 10);
    assert.equal(message.expiresAt.toISOString(), '2026-03-01T10:10:00.000Z');
    await challenges.issue({ purpose: 'step_up', address: '+14155550100', subject: 'ses_1', channelName: 'whatsapp', channel: outbox, userId: 'usr_1' });
    assert.equal(outbox.last().validMinutes, 5);

    const rows = await database.db.withTables<{ otp_challenges: Record<string, string | null> }>().selectFrom('otp_challenges').selectAll().execute();
    assert.equal(rows.length, 2);
    const stored = JSON.stringify(rows);
    for (const sent of outbox.sent) assert.ok(!stored.includes(sent.code), 'no code in the table');
    assert.ok(!stored.includes('ann@example.com') && !stored.includes('+14155550100'), 'no address in the table');
  });

  it('accepts the right code once; a second use is otp_expired', async (t) => {
    const { challenges, outbox, signInCode } = await setup(t);
    await signInCode();
    const code = outbox.last().code;
    assert.equal((await challenges.verify('sign_in', 'ann@example.com', code)).ok, true);
    assert.deepEqual(await challenges.verify('sign_in', 'ann@example.com', code), { ok: false, code: 'otp_expired' });
  });

  it('answers otp_invalid for 4 wrong codes, otp_locked at the 5th, and stays locked for the right code', async (t) => {
    const { challenges, outbox, signInCode } = await setup(t);
    await signInCode();
    const code = outbox.last().code;
    for (let i = 1; i <= 4; i++) {
      const outcome = await challenges.verify('sign_in', 'ann@example.com', wrong(code));
      assert.equal(outcome.ok ? 'ok' : outcome.code, 'otp_invalid', `try ${i}`);
    }
    const fifth = await challenges.verify('sign_in', 'ann@example.com', wrong(code));
    assert.equal(fifth.ok ? 'ok' : fifth.code, 'otp_locked');
    const right = await challenges.verify('sign_in', 'ann@example.com', code);
    assert.equal(right.ok ? 'ok' : right.code, 'otp_locked');
  });

  it('counts parallel guesses before comparing, so no more than 5 are ever checked', async (t) => {
    const { challenges, outbox, signInCode } = await setup(t);
    await signInCode();
    const code = outbox.last().code;
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => challenges.verify('sign_in', 'ann@example.com', wrong(code))));
    const compared = outcomes.filter((o) => !o.ok && o.code !== 'otp_expired' && o.wrongTry).length;
    assert.equal(compared, OTP_RULES.maxWrongTries);
    assert.ok(outcomes.every((o) => !o.ok && (o.code === 'otp_invalid' || o.code === 'otp_locked')));
  });

  it('the right code sent many times at once is taken once, even when the tries past the fifth lock it meanwhile', async (t) => {
    const { challenges, outbox, signInCode } = await setup(t);
    await signInCode();
    const code = outbox.last().code;
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => challenges.verify('sign_in', 'ann@example.com', code)));
    // Before, a lock set by the 6th try made the first try's consume fail: nobody signed in.
    assert.equal(outcomes.filter((o) => o.ok).length, 1);
    const refusals = new Set(outcomes.filter((o) => !o.ok).map((o) => (o.ok ? 'ok' : o.code)));
    assert.ok([...refusals].every((c) => c === 'otp_expired' || c === 'otp_locked'), [...refusals].join());
    // Once taken, more tries are of a used code.
    assert.deepEqual(await challenges.verify('sign_in', 'ann@example.com', code), { ok: false, code: 'otp_expired' });
  });

  it('expires a code after its validity, and says otp_expired when none was sent', async (t) => {
    const { challenges, clock, outbox, signInCode } = await setup(t);
    assert.deepEqual(await challenges.verify('sign_in', 'ann@example.com', '123456'), { ok: false, code: 'otp_expired' });
    await signInCode();
    clock.advance(600);
    assert.deepEqual(await challenges.verify('sign_in', 'ann@example.com', outbox.last().code), { ok: false, code: 'otp_expired' });
  });

  it('a new code replaces the previous one, and a code only opens its own subject and purpose', async (t) => {
    const { challenges, clock, outbox, signInCode } = await setup(t);
    await signInCode();
    const first = outbox.last().code;
    clock.advance(61);
    await signInCode();
    const second = outbox.last().code;
    if (first !== second) assert.equal((await challenges.verify('sign_in', 'ann@example.com', first)).ok, false);
    assert.equal((await challenges.verify('step_up', 'ann@example.com', second)).ok, false, 'a sign-in code is no step-up code');
    assert.equal((await challenges.verify('sign_in', 'bob@example.com', second)).ok, false, 'nor a code for another address');
    assert.equal((await challenges.verify('sign_in', 'ann@example.com', second)).ok, true);
  });

  it('allows one code per minute per address and purpose, with the seconds left', async (t) => {
    const { challenges, clock, outbox, signInCode } = await setup(t);
    await signInCode();
    clock.advance(20);
    const refused = await rejection(signInCode());
    assert.equal(refused.code, 'rate_limited');
    assert.equal(refused.headers?.['Retry-After'], '40');
    await signInCode('bob@example.com');
    await challenges.issue({ purpose: 'step_up', address: 'ann@example.com', subject: 'ses_1', channelName: 'email', channel: outbox, userId: 'usr_1' });
    clock.advance(40);
    await signInCode();
    assert.equal(outbox.sent.length, 4);
  });

  it('an unknown address (no channel) gets the cooldown and no code', async (t) => {
    const { challenges, outbox } = await setup(t);
    const unknown = () => challenges.issue({ purpose: 'sign_in', address: 'who@example.com', subject: 'who@example.com', channelName: 'email', channel: undefined, userId: null });
    await unknown();
    assert.equal((await rejection(unknown())).code, 'rate_limited');
    assert.equal(outbox.sent.length, 0);
  });

  it('a failed delivery answers unavailable, leaves no usable code and gives the cooldown back', async (t) => {
    const { challenges, outbox, signInCode, warnings } = await setup(t);
    outbox.failing = true;
    assert.equal((await rejection(signInCode())).code, 'unavailable');
    assert.match(warnings.join('\n'), /could not be delivered.*the test outbox refuses/);
    outbox.failing = false;
    await signInCode();
    assert.equal((await challenges.verify('sign_in', 'ann@example.com', outbox.last().code)).ok, true);
  });
});
