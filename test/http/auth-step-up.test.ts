import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { startWebhook, type WebhookAnswer } from '../otp/webhook-receiver.js';
import { addMember, asUser, type MailedApp, signIn, startMailedApp, stepUp } from '../support/sign-in.js';
import { createKey, createTenant, ManualClock, type Cleanup } from '../support/test-app.js';

const OWNER = 'olivia@acme.example';
const PHONE = '+14155550123';
const HOOK_SECRET = 'whatsapp-hook-secret';
const keyBody = { name: 'prod-order-bot', environment: 'production' };

async function setup(t: Cleanup, options: { clock?: ManualClock; webhook?: WebhookAnswer; phone?: boolean } = {}) {
  const hook = options.webhook ? await startWebhook(t, options.webhook) : undefined;
  const env: Record<string, string> = hook ? { LATCHKEY_WHATSAPP_WEBHOOK_URL: hook.url, LATCHKEY_WHATSAPP_WEBHOOK_SECRET: HOOK_SECRET } : {};
  const app: MailedApp = await startMailedApp(t, env, options.clock ? { clock: options.clock } : {});
  const tenant = await createTenant(app, { name: 'Acme', plan: 'pro' });
  await addMember(app, tenant.id, OWNER, 'owner', options.phone === false ? undefined : PHONE);
  const session = await signIn(app, OWNER);
  const as = asUser(app, session);
  // As the dashboard does on sign-in: the tenant's audit log then gets this person's step-ups and wrong codes.
  assert.equal((await as('GET', `/v1/tenants/${tenant.id}`)).statusCode, 200);
  return { app, tenant, session, as, hook };
}

describe('step-up', () => {
  it('key creation, regeneration and rotation from a session need a step-up younger than 15 minutes', async (t) => {
    const clock = new ManualClock(new Date('2026-05-04T08:00:00Z'));
    const { app, tenant, session, as } = await setup(t, { clock });
    const keys = `/v1/tenants/${tenant.id}/keys`;
    const refused = await as('POST', keys, keyBody);
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().code, 'step_up_required');

    const until = await stepUp(app, session, OWNER);
    assert.equal(until, '2026-05-04T08:15:00Z');
    assert.equal((await as('GET', '/v1/auth/me')).json().step_up_until, '2026-05-04T08:15:00Z');
    const created = await as('POST', keys, keyBody);
    assert.equal(created.statusCode, 201);
    const keyId = created.json().key.id;
    assert.equal((await as('POST', `${keys}/${keyId}/regenerate`)).statusCode, 200);
    clock.advance(14 * 60);
    assert.equal((await as('POST', `${keys}/${keyId}/rotate`, {})).statusCode, 201);

    clock.advance(60);
    for (const [url, body] of [[keys, keyBody], [`${keys}/${keyId}/regenerate`, undefined]] as const) {
      const late = await as('POST', url, body);
      assert.equal(late.statusCode, 403, url);
      assert.equal(late.json().code, 'step_up_required');
    }
    assert.equal((await as('GET', '/v1/auth/me')).json().step_up_until, null);
    assert.equal((await as('POST', `${keys}/${keyId}/deactivate`)).statusCode, 200, 'other key changes need no step-up');
    const audit = (await app.root('GET', `/v1/tenants/${tenant.id}/audit-log?action=auth.step_up`)).json().data;
    assert.equal(audit.length, 1);
    assert.equal(audit[0].details.channel, 'email');
  });

  it('the root token needs no step-up', async (t) => {
    const { app, tenant } = await setup(t);
    const key = await createKey(app, tenant.id);
    assert.equal((await app.root('POST', `/v1/tenants/${tenant.id}/keys/${key.key.id}/regenerate`)).statusCode, 200);
    assert.equal((await app.root('POST', `/v1/tenants/${tenant.id}/keys/${key.key.id}/rotate`, {})).statusCode, 201);
  });

  it('role comes before step-up: a viewer gets forbidden, not step_up_required', async (t) => {
    const { app, tenant } = await setup(t);
    await addMember(app, tenant.id, 'victor@acme.example', 'viewer');
    const viewer = asUser(app, await signIn(app, 'victor@acme.example'));
    const res = await viewer('POST', `/v1/tenants/${tenant.id}/keys`, keyBody);
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'forbidden');
  });

  it('has its own cooldown, apart from sign-in: 429 with Retry-After on a second request within a minute', async (t) => {
    const clock = new ManualClock(new Date('2026-05-04T08:00:00Z'));
    const { as, app } = await setup(t, { clock });
    const first = await as('POST', '/v1/auth/step-up', { channel: 'email' });
    assert.equal(first.statusCode, 202, 'signing in a moment ago does not block a step-up code');
    assert.deepEqual(first.json(), { status: 'sent', retry_after_seconds: 60, code_in_server_log: false });
    clock.advance(30);
    const second = await as('POST', '/v1/auth/step-up', { channel: 'email' });
    assert.equal(second.statusCode, 429);
    assert.equal(second.headers['retry-after'], '30');
    assert.equal(app.mail.mailsTo(OWNER).length, 2, 'one sign-in mail, one step-up mail');
    assert.match(app.mail.mailsTo(OWNER)[1]?.raw ?? '', /Subject: Your Latchkey verification code/);
  });

  it('wrong step-up codes: otp_invalid, then otp_locked after 5, each audited', async (t) => {
    const { app, tenant, as } = await setup(t);
    const before = app.mail.mails.length;
    await as('POST', '/v1/auth/step-up', { channel: 'email' });
    const code = await app.mail.code(OWNER, before);
    const wrong = code === '999999' ? '999998' : '999999';
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await as('POST', '/v1/auth/step-up/verify', { code: wrong })).json().code);
    assert.deepEqual(codes, ['otp_invalid', 'otp_invalid', 'otp_invalid', 'otp_invalid', 'otp_locked']);
    assert.equal((await as('POST', '/v1/auth/step-up/verify', { code })).json().code, 'otp_locked');
    const failed = (await app.root('GET', `/v1/tenants/${tenant.id}/audit-log?action=auth.otp_failed`)).json().data;
    assert.equal(failed.length, 5);
    assert.equal(failed[0].details.purpose, 'step_up');
    assert.equal((await as('POST', `/v1/tenants/${tenant.id}/keys`, keyBody)).json().code, 'step_up_required');
  });

  it('a step-up code that is not 6 digits is 400 naming code and uses none of the five tries; "123 456" as typed works', async (t) => {
    const { app, tenant, as } = await setup(t);
    const before = app.mail.mails.length;
    await as('POST', '/v1/auth/step-up', { channel: 'email' });
    const code = await app.mail.code(OWNER, before);
    for (const bad of ['12345', '1234567', '12a456', 'abcdef', '']) {
      const res = await as('POST', '/v1/auth/step-up/verify', { code: bad });
      assert.equal(res.statusCode, 400, bad);
      assert.equal(res.json().code, 'invalid_request');
      // The empty one fails the schema's length first.
      const message = bad === '' ? 'must be 1-32 characters' : 'must be the 6 digits of the code';
      assert.deepEqual(res.json().fields, [{ field: 'code', message }], bad);
    }
    const wrong = code === '999999' ? '999998' : '999999';
    // Four wrong tries still leave one: the malformed ones above used none.
    for (let i = 0; i < 4; i++) assert.equal((await as('POST', '/v1/auth/step-up/verify', { code: wrong })).json().code, 'otp_invalid');
    const typed = await as('POST', '/v1/auth/step-up/verify', { code: `${code.slice(0, 3)} ${code.slice(3)}` });
    assert.equal(typed.statusCode, 200, typed.body);
    const failed = (await app.root('GET', `/v1/tenants/${tenant.id}/audit-log?action=auth.otp_failed`)).json().data;
    assert.equal(failed.length, 4, 'only the wrong codes are audited as failures');
    assert.equal((await as('POST', `/v1/tenants/${tenant.id}/keys`, keyBody)).statusCode, 201);
  });

  it("a step-up code only steps up the session that asked for it (not the user's other session); verifying needs the CSRF token", async (t) => {
    const clock = new ManualClock();
    const { app, as } = await setup(t, { clock });
    clock.advance(60);
    const other = asUser(app, await signIn(app, OWNER));
    const before = app.mail.mails.length;
    await as('POST', '/v1/auth/step-up', { channel: 'email' });
    const code = await app.mail.code(OWNER, before);
    assert.equal((await other('POST', '/v1/auth/step-up/verify', { code })).json().code, 'otp_expired');
    const noCsrf = await as('POST', '/v1/auth/step-up/verify', { code }, { csrf: false });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal((await as('POST', '/v1/auth/step-up/verify', { code })).statusCode, 200);
    assert.equal((await other('GET', '/v1/auth/me')).json().step_up_until, null);
  });

  it('by WhatsApp: the webhook gets a signed message for the member phone (retried on 5xx), and its code steps up', async (t) => {
    const { app, tenant, as, hook } = await setup(t, { webhook: (n) => (n === 1 ? 502 : 200) });
    assert.ok(hook);
    const sent = await as('POST', '/v1/auth/step-up', { channel: 'whatsapp' });
    assert.equal(sent.statusCode, 202);
    assert.equal(hook.calls.length, 2, 'the 502 was retried');
    const call = hook.calls[1]!;
    assert.equal(call.signature, `sha256=${createHmac('sha256', HOOK_SECRET).update(call.body).digest('hex')}`);
    const body = JSON.parse(call.body) as { to: string; code: string; purpose: string; expires_at: string; message: string };
    assert.equal(body.to, PHONE);
    assert.equal(body.purpose, 'step_up');
    assert.match(body.code, /^\d{6}$/);
    assert.ok(Date.parse(body.expires_at) - Date.now() <= 5 * 60_000, 'valid 5 minutes');
    const verified = await as('POST', '/v1/auth/step-up/verify', { code: body.code });
    assert.equal(verified.statusCode, 200);
    assert.equal((await as('POST', `/v1/tenants/${tenant.id}/keys`, keyBody)).statusCode, 201);
    assert.equal((await app.root('GET', `/v1/tenants/${tenant.id}/audit-log?action=auth.step_up`)).json().data[0].details.channel, 'whatsapp');
  });

  it('a webhook failing every time answers 503 and leaves no cooldown', async (t) => {
    let down = true;
    const { as, hook } = await setup(t, { webhook: () => (down ? 500 : 200) });
    const failed = await as('POST', '/v1/auth/step-up', { channel: 'whatsapp' });
    assert.equal(failed.statusCode, 503);
    assert.equal(failed.json().code, 'unavailable');
    assert.ok((hook?.calls.length ?? 0) > 1, 'retried before giving up');
    down = false;
    assert.equal((await as('POST', '/v1/auth/step-up', { channel: 'whatsapp' })).statusCode, 202);
  });

  it('WhatsApp needs a phone and a configured webhook; an unknown channel is refused (400 naming channel)', async (t) => {
    const noPhone = await setup(t, { webhook: () => 200, phone: false });
    const res = await noPhone.as('POST', '/v1/auth/step-up', { channel: 'whatsapp' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'invalid_request');
    assert.equal(res.json().fields[0].field, 'channel');
    assert.match(res.json().fields[0].message, /phone/);

    const noHook = await setup(t);
    const unconfigured = await noHook.as('POST', '/v1/auth/step-up', { channel: 'whatsapp' });
    assert.equal(unconfigured.statusCode, 400);
    assert.equal(unconfigured.json().fields[0].field, 'channel');
    assert.match(unconfigured.json().fields[0].message, /not configured/);
    const sms = await noHook.as('POST', '/v1/auth/step-up', { channel: 'sms' });
    assert.equal(sms.statusCode, 400);
    assert.equal(sms.json().fields[0].field, 'channel');
    assert.equal(noHook.app.mail.mailsTo(OWNER).length, 1, 'only the sign-in mail');
  });
});

