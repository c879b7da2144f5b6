import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { eventually } from '../support/processes.js';
import { startWebhook } from '../otp/webhook-receiver.js';
import { codeInMail } from '../support/smtp.js';
import { addMember, asUser, sessionCookie, startMailedApp } from '../support/sign-in.js';
import { createTenant, ManualClock } from '../support/test-app.js';

const OWNER = 'olivia@acme.example';

/** True when `secret` occurs in `text` not as part of a longer run of digits (a 6-digit code inside a timestamp is no leak). */
function contains(text: string, secret: string): boolean {
  return /^\d+$/.test(secret) ? new RegExp(`(?<!\\d)${secret}(?!\\d)`).test(text) : text.includes(secret);
}

describe('sign-in secrets', () => {
  it('no OTP code, session cookie or CSRF token reaches the log or the SQLite file once real channels are configured', async (t) => {
    const clock = new ManualClock();
    const hook = await startWebhook(t);
    const app = await startMailedApp(t, { LATCHKEY_WHATSAPP_WEBHOOK_URL: hook.url, LATCHKEY_WHATSAPP_WEBHOOK_SECRET: 'hook-secret' }, { clock });
    const tenant = await createTenant(app, { plan: 'pro' });
    await addMember(app, tenant.id, OWNER, 'owner', '+14155550199');
    const secrets: string[] = [];

    // A refused mail is logged as a warning (so the log capture works) without its code.
    app.mail.refusing = true;
    assert.equal((await app.app.inject({ method: 'POST', url: '/v1/auth/otp', payload: { email: OWNER } })).statusCode, 202);
    assert.ok(await eventually(async () => /could not be delivered/.test(app.logs()), 10_000));
    app.mail.refusing = false;

    assert.equal((await app.app.inject({ method: 'POST', url: '/v1/auth/otp', payload: { email: OWNER } })).statusCode, 202);
    const code = await app.mail.code(OWNER);
    const wrong = code === '111111' ? '222222' : '111111';
    await app.app.inject({ method: 'POST', url: '/v1/auth/otp/verify', payload: { email: OWNER, code: wrong } });
    const verified = await app.app.inject({ method: 'POST', url: '/v1/auth/otp/verify', payload: { email: OWNER, code } });
    assert.equal(verified.statusCode, 200);
    const cookie = sessionCookie(verified);
    const me = await app.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { cookie } });
    const session = { cookie, csrf: me.json().csrf_token as string };
    const as = asUser(app, session);
    secrets.push(cookie.slice('latchkey_session='.length), session.csrf);

    assert.equal((await as('POST', '/v1/auth/step-up', { channel: 'email' })).statusCode, 202);
    clock.advance(61);
    assert.equal((await as('POST', '/v1/auth/step-up', { channel: 'whatsapp' })).statusCode, 202);
    const whatsappCode = (JSON.parse(hook.calls.at(-1)?.body ?? '{}') as { code: string }).code;
    assert.equal((await as('POST', '/v1/auth/step-up/verify', { code: whatsappCode })).statusCode, 200);
    assert.equal((await as('POST', `/v1/tenants/${tenant.id}/keys`, { name: 'bot', environment: 'production' })).statusCode, 201);
    assert.equal((await as('POST', '/v1/auth/logout')).statusCode, 204);

    const codes = [...app.mail.mails.map((m) => codeInMail(m.raw)), whatsappCode].filter((c): c is string => c !== undefined);
    assert.equal(codes.length, 3, 'sign-in, e-mail step-up and WhatsApp step-up codes');
    secrets.push(...codes);

    const logs = app.logs();
    const database = ['latchkey.db', 'latchkey.db-wal', 'latchkey.db-shm']
      .map((name) => join(app.dir, name))
      .filter((path) => existsSync(path))
      .map((path) => readFileSync(path).toString('latin1'))
      .join('\n');
    assert.ok(database.includes(OWNER), 'the database files were read');
    for (const secret of secrets) {
      assert.ok(!contains(logs, secret), `a secret in the log: ${secret.slice(0, 3)}…`);
      assert.ok(!contains(database, secret), `a secret in the database file: ${secret.slice(0, 3)}…`);
    }
    const audit = JSON.stringify((await app.root('GET', `/v1/tenants/${tenant.id}/audit-log`)).json());
    for (const secret of [...secrets, wrong]) assert.ok(!contains(audit, secret), 'no secret in the audit log');
  });
});
