import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { addMember, asUser, sessionCookie, signIn, startMailedApp } from '../support/sign-in.js';
import { createTenant, ManualClock, startTestApp, type TestApp } from '../support/test-app.js';
import { startWebhook } from '../otp/webhook-receiver.js';
import { eventually } from '../support/processes.js';
import { opensslMissing, selfSignedCertificate } from '../support/certificates.js';

const OWNER = 'olivia@acme.example';

async function acme(t: Parameters<typeof startMailedApp>[0], env: Record<string, string> = {}, clock?: ManualClock) {
  const app = await startMailedApp(t, env, clock ? { clock } : {});
  const tenant = await createTenant(app, { name: 'Acme Logistics' });
  const owner = await addMember(app, tenant.id, OWNER, 'owner');
  return { app, tenant, owner };
}

const requestCode = (app: TestApp, email: string) => app.app.inject({ method: 'POST', url: '/v1/auth/otp', payload: { email } });

describe('sign-in by e-mail code', () => {
  it('mails a code to a member; the code buys an HttpOnly, SameSite=Lax session cookie, and /me describes the user', async (t) => {
    const { app, tenant, owner } = await acme(t);
    const sent = await requestCode(app, 'Olivia@Acme.example');
    assert.equal(sent.statusCode, 202);
    assert.deepEqual(sent.json(), { status: 'sent', retry_after_seconds: 60, code_in_server_log: false });
    const code = await app.mail.code(OWNER);

    const verified = await app.app.inject({ method: 'POST', url: '/v1/auth/otp/verify', payload: { email: OWNER, code } });
    assert.equal(verified.statusCode, 200);
    assert.deepEqual(verified.json(), { user: { id: owner.user_id, email: OWNER } });
    const setCookie = String(verified.headers['set-cookie']);
    assert.match(setCookie, /^latchkey_session=[A-Za-z0-9_-]{43};/);
    assert.match(setCookie, /; HttpOnly/);
    assert.match(setCookie, /; SameSite=Lax/);
    assert.match(setCookie, /; Path=\//);
    assert.match(setCookie, /; Max-Age=604800/);
    assert.doesNotMatch(setCookie, /Secure/, 'plain HTTP without a trusted proxy: no Secure flag');

    const me = await app.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { cookie: sessionCookie(verified) } });
    assert.equal(me.statusCode, 200);
    const body = me.json();
    assert.match(body.csrf_token, /^[0-9a-f]{64}$/);
    assert.deepEqual(body, {
      user: { id: owner.user_id, email: OWNER, phone: null },
      operator: false,
      memberships: [{ tenant_id: tenant.id, tenant_name: 'Acme Logistics', role: 'owner', joined: false }],
      csrf_token: body.csrf_token,
      step_up_until: null,
    });
  });

  it('answers otp_invalid for wrong codes, otp_locked at the 5th and then even for the right code, and audits each wrong code', async (t) => {
    const clock = new ManualClock();
    const { app, tenant } = await acme(t, {}, clock);
    // The owner has used the tenant before, so its audit log gets the wrong codes typed at their address.
    assert.equal((await asUser(app, await signIn(app, OWNER))('GET', `/v1/tenants/${tenant.id}/keys`)).statusCode, 200);
    clock.advance(61);
    // This code's mail, not the sign-in's before it (already used): `code` without `before` takes the newest so far.
    const before = app.mail.mails.length;
    assert.equal((await requestCode(app, OWNER)).statusCode, 202);
    const code = await app.mail.code(OWNER, before);
    const wrong = code === '000000' ? '000001' : '000000';
    const verify = (c: string) => app.app.inject({ method: 'POST', url: '/v1/auth/otp/verify', payload: { email: OWNER, code: c }, remoteAddress: '203.0.113.9' });
    // What can never be a code is a bad request, and uses up no try.
    for (const typo of ['12345', '1234567', 'abcdef', '12 34 5']) {
      const res = await verify(typo);
      assert.equal(res.statusCode, 400, typo);
      assert.deepEqual(res.json().fields, [{ field: 'code', message: 'must be the 6 digits of the code' }], typo);
    }
    for (let i = 1; i <= 4; i++) {
      const res = await verify(wrong);
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().code, 'otp_invalid', `try ${i}`);
    }
    assert.equal((await verify(wrong)).json().code, 'otp_locked');
    const right = await verify(code);
    assert.equal(right.statusCode, 401);
    assert.equal(right.json().code, 'otp_locked');
    assert.equal(right.headers['set-cookie'], undefined);

    // Audited just after each answer (so that a known address's answer is not slower than an unknown one's).
    const failures = async () => (await app.root('GET', `/v1/tenants/${tenant.id}/audit-log?action=auth.otp_failed`)).json().data;
    assert.ok(await eventually(async () => (await failures()).length === 5, 5000), 'the five wrong codes are audited');
    const audit = await failures();
    assert.equal(audit.length, 5);
    assert.equal(audit[0].ip, '203.0.113.9');
    assert.equal(audit[0].actor.type, 'user');
    assert.ok(!JSON.stringify(audit).includes(wrong) && !JSON.stringify(audit).includes(code), 'no code in the audit log');
  });

  it('reads at most 4 KiB of a sign-in body (anyone may send one): more is 413, and nesting is refused before parsing', async (t) => {
    const app = await startTestApp(t, { LATCHKEY_BODY_LIMIT_BYTES: String(64 * 1024 * 1024) });
    for (const url of ['/v1/auth/otp', '/v1/auth/otp/verify']) {
      const big = await app.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ email: 'a@b.example', code: '123456', pad: 'x'.repeat(5000) }) });
      assert.equal(big.statusCode, 413, url);
      assert.equal(big.json().code, 'payload_too_large', url);
    }
    const deep = await app.app.inject({ method: 'POST', url: '/v1/auth/otp', headers: { 'content-type': 'application/json' }, payload: `{"email":"a@b.example","x":${'['.repeat(1000)}${']'.repeat(1000)}}` });
    assert.equal(deep.statusCode, 400);
    assert.deepEqual(deep.json().fields, [{ field: 'body', message: 'is nested deeper than 64 levels of arrays and objects' }]);
    assert.equal((await app.app.inject({ method: 'POST', url: '/v1/auth/otp', payload: { email: 'a@b.example' } })).statusCode, 202, 'an ordinary body is taken');
  });

  it('takes a code typed in groups (123 456, 123-456) as the code', async (t) => {
    const { app } = await acme(t);
    const before = app.mail.mails.length;
    assert.equal((await requestCode(app, OWNER)).statusCode, 202);
    const code = await app.mail.code(OWNER, before);
    const res = await app.app.inject({ method: 'POST', url: '/v1/auth/otp/verify', payload: { email: OWNER, code: ` ${code.slice(0, 3)}-${code.slice(3)} ` } });
    assert.equal(res.statusCode, 200, res.body);
  });

  it('answers wrong codes for an address that gets none (unknown, or in no tenant) as for a member: otp_invalid, then otp_locked', async (t) => {
    const { app } = await acme(t);
    // The stranger's code is stored (and sent nowhere) after the answer; by the time a member's mail is in, it is.
    await requestCode(app, 'stranger@elsewhere.example');
    await requestCode(app, OWNER);
    const code = await app.mail.code(OWNER);
    const wrong = code === '000000' ? '000001' : '000000';
    for (const email of [OWNER, 'stranger@elsewhere.example']) {
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push((await app.app.inject({ method: 'POST', url: '/v1/auth/otp/verify', payload: { email, code: wrong } })).json().code);
      assert.deepEqual(answers, ['otp_invalid', 'otp_invalid', 'otp_invalid', 'otp_invalid', 'otp_locked', 'otp_locked'], email);
    }
    assert.deepEqual(app.mail.mails.map((m) => m.to), [OWNER], 'nothing went to the stranger');
  });

  it('takes at most 15 tries per address in the hour from the first, over all its codes; then codes lock as they are tried until that hour is over', async (t) => {
    const clock = new ManualClock(new Date('2026-05-04T08:00:00Z'));
    const { app } = await acme(t, {}, clock);
    const verify = (code: string) => app.app.inject({ method: 'POST', url: '/v1/auth/otp/verify', payload: { email: OWNER, code } });
    const newCode = async () => {
      const before = app.mail.mails.length;
      assert.equal((await requestCode(app, OWNER)).statusCode, 202);
      return app.mail.code(OWNER, before);
    };
    for (let round = 0; round < 3; round++) {
      const code = await newCode();
      const wrong = code === '000000' ? '000001' : '000000';
      for (let i = 0; i < 5; i++) await verify(wrong);
      clock.advance(60);
    }
    const fourth = await verify(await newCode());
    assert.equal(fourth.statusCode, 401);
    assert.equal(fourth.json().code, 'otp_locked', 'the right code, past 15 tries in the hour');
    clock.advance(3600);
    assert.equal((await verify(await newCode())).statusCode, 200, 'once the hour from the first try is over');
  });

  it('takes at most 300 sign-in tries an hour from one client address, over all addresses: then 429 with Retry-After', async (t) => {
    const clock = new ManualClock(new Date('2026-05-04T08:00:00Z'));
    const { app } = await acme(t, {}, clock);
    const verify = (email: string, remoteAddress: string) => app.app.inject({ method: 'POST', url: '/v1/auth/otp/verify', payload: { email, code: '123456' }, remoteAddress });
    for (let i = 0; i < 300; i++) assert.equal((await verify(`someone${i}@acme.example`, '203.0.113.50')).json().code, 'otp_expired');
    clock.advance(600);
    const blocked = await verify(OWNER, '203.0.113.50');
    assert.equal(blocked.statusCode, 429);
    assert.equal(blocked.json().code, 'rate_limited');
    assert.equal(blocked.headers['retry-after'], '3000', 'until the hour from the first try is over');
    assert.equal((await verify(OWNER, '203.0.113.51')).json().code, 'otp_expired', 'another address is not held back');
    clock.advance(3000);
    assert.equal((await verify(OWNER, '203.0.113.50')).json().code, 'otp_expired');
  });

  it('sends at most 10 codes an hour to one address, a known one or not alike: then 429 with Retry-After', async (t) => {
    const clock = new ManualClock(new Date('2026-05-04T08:00:00Z'));
    const { app } = await acme(t, {}, clock);
    for (const email of [OWNER, 'nobody@acme.example']) {
      for (let i = 0; i < 10; i++) {
        assert.equal((await requestCode(app, email)).statusCode, 202, `code ${i + 1} for ${email}`);
        clock.advance(60);
      }
      const eleventh = await requestCode(app, email);
      assert.equal(eleventh.statusCode, 429, email);
      assert.equal(eleventh.json().code, 'rate_limited');
      assert.equal(eleventh.headers['retry-after'], '3000', 'until the hour from the first code is over');
      clock.advance(3000);
      assert.equal((await requestCode(app, email)).statusCode, 202, 'once that hour is over');
      clock.advance(60);
    }
    await app.mail.code(OWNER, 10);
    assert.equal(app.mail.mailsTo(OWNER).length, 11, 'ten codes, then one more after the hour');
    assert.equal(app.mail.mailsTo('nobody@acme.example').length, 0);
  });

  it('takes at most 100 sign-in code requests an hour from one client address, over all addresses: then 429', async (t) => {
    const clock = new ManualClock(new Date('2026-05-04T08:00:00Z'));
    const { app } = await acme(t, {}, clock);
    const request = (email: string, remoteAddress: string) => app.app.inject({ method: 'POST', url: '/v1/auth/otp', payload: { email }, remoteAddress });
    for (let i = 0; i < 100; i++) assert.equal((await request(`someone${i}@acme.example`, '203.0.113.60')).statusCode, 202);
    clock.advance(600);
    const blocked = await request(OWNER, '203.0.113.60');
    assert.equal(blocked.statusCode, 429);
    assert.equal(blocked.json().code, 'rate_limited');
    assert.equal(blocked.headers['retry-after'], '3000');
    assert.equal((await request(OWNER, '203.0.113.61')).statusCode, 202, 'another client address is not held back');
  });

  it('a code expires after 10 minutes, and is single use', async (t) => {
    const clock = new ManualClock(new Date('2026-05-04T08:00:00Z'));
    const { app } = await acme(t, {}, clock);
    const verify = (code: string) => app.app.inject({ method: 'POST', url: '/v1/auth/otp/verify', payload: { email: OWNER, code } });

    await requestCode(app, OWNER);
    const first = await app.mail.code(OWNER);
    clock.advance(10 * 60);
    const late = await verify(first);
    assert.equal(late.statusCode, 401);
    assert.equal(late.json().code, 'otp_expired');

    const before = app.mail.mails.length;
    assert.equal((await requestCode(app, OWNER)).statusCode, 202);
    const second = await app.mail.code(OWNER, before);
    clock.advance(9 * 60);
    assert.equal((await verify(second)).statusCode, 200, 'still valid just before 10 minutes');
    const again = await verify(second);
    assert.equal(again.statusCode, 401);
    assert.equal(again.json().code, 'otp_expired');
  });

  it('otp_expired when no code was ever sent, to a member or to an unknown address', async (t) => {
    const { app } = await acme(t);
    for (const email of [OWNER, 'nobody@acme.example']) {
      const res = await app.app.inject({ method: 'POST', url: '/v1/auth/otp/verify', payload: { email, code: '123456' } });
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().code, 'otp_expired');
      assert.match(String(res.headers['www-authenticate']), /^Bearer realm="latchkey"/);
    }
  });

  it('sends at most one code a minute per address: 429 rate_limited with Retry-After', async (t) => {
    const clock = new ManualClock(new Date('2026-05-04T08:00:00Z'));
    const { app, tenant } = await acme(t, {}, clock);
    await addMember(app, tenant.id, 'dev@acme.example', 'developer');
    assert.equal((await requestCode(app, OWNER)).statusCode, 202);
    clock.advance(15);
    const again = await requestCode(app, 'OLIVIA@acme.example');
    assert.equal(again.statusCode, 429);
    assert.equal(again.json().code, 'rate_limited');
    assert.equal(again.headers['retry-after'], '45');
    assert.equal((await requestCode(app, 'dev@acme.example')).statusCode, 202, 'another address has its own cooldown');
    clock.advance(45);
    assert.equal((await requestCode(app, OWNER)).statusCode, 202);
    assert.ok(await eventually(async () => app.mail.mailsTo(OWNER).length === 2, 10_000), 'two codes mailed');
    assert.equal(app.mail.mailsTo('dev@acme.example').length, 1);
  });

  it('answers 202 for an unknown address (or a user in no tenant), sends nothing, and applies the cooldown', async (t) => {
    const { app, tenant } = await acme(t);
    const leaver = await addMember(app, tenant.id, 'leaver@acme.example', 'viewer');
    assert.equal((await app.root('DELETE', `/v1/tenants/${tenant.id}/members/${leaver.user_id}`)).statusCode, 204);
    for (const email of ['stranger@elsewhere.example', 'leaver@acme.example']) {
      const first = await requestCode(app, email);
      assert.equal(first.statusCode, 202);
      assert.deepEqual(first.json(), { status: 'sent', retry_after_seconds: 60, code_in_server_log: false });
      const second = await requestCode(app, email);
      assert.equal(second.statusCode, 429, 'same cooldown as a known address');
      assert.ok(Number(second.headers['retry-after']) >= 1);
    }
    // Codes go out after the answer. The unknown addresses' lookups began first and send nothing, so they are
    // over by the time a member's code, asked for last, has gone through the mail server.
    assert.equal((await requestCode(app, OWNER)).statusCode, 202);
    await app.mail.code(OWNER);
    assert.deepEqual(app.mail.mails.map((m) => m.to), [OWNER], 'nothing went to the unknown addresses');
  });

  it('a refused mail still answers 202, is logged without its code, and leaves no cooldown behind', async (t) => {
    const { app } = await acme(t);
    app.mail.refusing = true;
    const sent = await requestCode(app, OWNER);
    assert.equal(sent.statusCode, 202, 'the same answer as for any address: a refusal would tell that this one is known');
    assert.ok(await eventually(async () => /could not be delivered/.test(app.logs()), 10_000), 'the failure is logged');
    app.mail.refusing = false;
    assert.equal((await requestCode(app, OWNER)).statusCode, 202, 'the user may retry at once');
    const session = await app.app.inject({ method: 'POST', url: '/v1/auth/otp/verify', payload: { email: OWNER, code: await app.mail.code(OWNER) } });
    assert.equal(session.statusCode, 200);
  });

  it('answers before the code is sent, so the answer does not wait for the mail server of a known address', async (t) => {
    const { app } = await acme(t);
    const hold = app.mail.hold();
    let answered = false;
    const answer = requestCode(app, OWNER).finally(() => {
      answered = true;
    });
    await hold.reached;
    // Read when the mail server holds the code's mail; nothing here waits on a clock.
    const answeredFirst = answered;
    hold.release();
    assert.equal((await answer).statusCode, 202);
    assert.equal(answeredFirst, true, 'answered while the mail server still held the code');
    const session = await app.app.inject({ method: 'POST', url: '/v1/auth/otp/verify', payload: { email: OWNER, code: await app.mail.code(OWNER) } });
    assert.equal(session.statusCode, 200);
  });

  it('refuses a body without a valid e-mail (400 naming the field)', async (t) => {
    const { app } = await acme(t);
    const res = await requestCode(app, 'not-an-address');
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'invalid_request');
    assert.equal(res.json().fields[0].field, 'email');
    const missing = await app.app.inject({ method: 'POST', url: '/v1/auth/otp/verify', payload: { email: OWNER } });
    assert.equal(missing.json().fields[0].field, 'code');
  });

  it('operators of LATCHKEY_ADMIN_EMAILS sign in without being members; their user row appears on first sign-in', async (t) => {
    const clock = new ManualClock();
    const { app, tenant } = await acme(t, { LATCHKEY_ADMIN_EMAILS: 'ops@example.com' }, clock);
    assert.equal((await app.services.memberStore.findUserByEmail('ops@example.com')), undefined);
    const ops = await signIn(app, 'OPS@example.com');
    const me = (await asUser(app, ops)('GET', '/v1/auth/me')).json();
    assert.equal(me.operator, true);
    assert.equal(me.user.email, 'ops@example.com');
    assert.deepEqual(me.memberships, []);
    assert.equal((await app.services.memberStore.findUserByEmail('ops@example.com'))?.id, me.user.id);
    const tenants = (await asUser(app, ops)('GET', '/v1/tenants')).json().data.map((x: { id: string }) => x.id);
    assert.deepEqual(tenants, [tenant.id]);
    clock.advance(60);
    const again = await signIn(app, 'ops@example.com');
    assert.equal((await asUser(app, again)('GET', '/v1/auth/me')).json().user.id, me.user.id, 'a second sign-in reuses the row');
  });

  it('first run (no admin list, no SMTP): admin@localhost signs in with the code printed in the log, with a development warning', async (t) => {
    const app = await startTestApp(t);
    const sent = await requestCode(app, 'admin@localhost');
    assert.equal(sent.statusCode, 202);
    assert.equal(sent.json().code_in_server_log, true, 'the dashboard tells where to look');
    const options = await app.app.inject({ method: 'GET', url: '/v1/auth/sign-in-options' });
    assert.deepEqual(options.json(), { code_in_server_log: true, first_run_operator: 'admin@localhost' });
    const line = app.logs().split('\n').find((l) => l.includes('development only'));
    assert.ok(line, 'the log says the code is there for development only');
    assert.match(line, /configure LATCHKEY_SMTP_URL/);
    const code = /Code for admin@localhost: (\d{6})/.exec(line)?.[1];
    assert.ok(code);
    const verified = await app.app.inject({ method: 'POST', url: '/v1/auth/otp/verify', payload: { email: 'admin@localhost', code } });
    assert.equal(verified.statusCode, 200);
    const me = await app.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { cookie: sessionCookie(verified) } });
    assert.equal(me.json().operator, true);
    assert.deepEqual((await app.root('GET', '/v1/deployment')).json().otp_channels, ['email', 'whatsapp'], 'development: both channels print to the log');
  });

  it('admin@localhost is no operator once SMTP or an admin list is configured; channels follow the config', async (t) => {
    const { app } = await acme(t);
    assert.equal((await requestCode(app, 'admin@localhost')).statusCode, 202);
    assert.equal(app.mail.mails.length, 0, 'nothing sent to admin@localhost');
    assert.deepEqual((await app.app.inject({ method: 'GET', url: '/v1/auth/sign-in-options' })).json(), { code_in_server_log: false, first_run_operator: null });
    assert.deepEqual((await app.root('GET', '/v1/deployment')).json().otp_channels, ['email'], 'no WhatsApp without a webhook once SMTP is real');
    const hook = await startWebhook(t);
    const withHook = await startMailedApp(t, { LATCHKEY_WHATSAPP_WEBHOOK_URL: hook.url, LATCHKEY_WHATSAPP_WEBHOOK_SECRET: 's3cret' });
    assert.deepEqual((await withHook.root('GET', '/v1/deployment')).json().otp_channels, ['email', 'whatsapp']);
  });

  it('over HTTPS the cookie is Secure and named __Host-latchkey_session; a plain latchkey_session is not read there', { skip: opensslMissing() }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-tls-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const tls = selfSignedCertificate(dir);
    const { app } = await acme(t, { LATCHKEY_TLS_CERT: tls.cert, LATCHKEY_TLS_KEY: tls.key });
    await requestCode(app, OWNER);
    const verified = await app.app.inject({ method: 'POST', url: '/v1/auth/otp/verify', payload: { email: OWNER, code: await app.mail.code(OWNER) } });
    assert.equal(verified.statusCode, 200);
    const setCookie = String(verified.headers['set-cookie']);
    assert.match(setCookie, /^__Host-latchkey_session=[A-Za-z0-9_-]{43};/);
    assert.match(setCookie, /; Secure/);
    assert.match(setCookie, /; Path=\/(;|$)/);
    assert.doesNotMatch(setCookie, /Domain=/i, 'a __Host- cookie has no Domain');
    const value = sessionCookie(verified).split('=')[1]!;

    const me = await app.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { cookie: `__Host-latchkey_session=${value}` } });
    assert.equal(me.statusCode, 200);
    const planted = await app.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { cookie: `latchkey_session=${value}` } });
    assert.equal(planted.statusCode, 401, 'over HTTPS only the __Host- cookie is a session: one set for a parent domain is not');

    const out = await app.app.inject({ method: 'POST', url: '/v1/auth/logout', headers: { cookie: `__Host-latchkey_session=${value}`, 'x-csrf-token': me.json().csrf_token } });
    assert.equal(out.statusCode, 204);
    assert.match(String(out.headers['set-cookie']), /^__Host-latchkey_session=;.*; Secure/);
  });

  it('the cookie is Secure when a trusted proxy says the request came over HTTPS, and only then', async (t) => {
    const { app } = await acme(t, { LATCHKEY_TRUST_PROXY: '127.0.0.1' });
    const untrusted = await acme(t);
    for (const [target, secure] of [[app, true], [untrusted.app, false]] as const) {
      await requestCode(target, OWNER);
      const verified = await target.app.inject({
        method: 'POST', url: '/v1/auth/otp/verify', payload: { email: OWNER, code: await target.mail.code(OWNER) },
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.7' },
      });
      assert.equal(verified.statusCode, 200);
      const setCookie = String(verified.headers['set-cookie']);
      assert.equal(/; Secure/.test(setCookie), secure);
      assert.equal(setCookie.startsWith('__Host-latchkey_session='), secure);
    }
  });
});

