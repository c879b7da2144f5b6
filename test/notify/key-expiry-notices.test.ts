import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { startMailedApp, type MailedApp } from '../support/sign-in.js';
import { ManualClock, startTestApp } from '../support/test-app.js';

const DAY = 86_400;
const DAY_MS = DAY * 1000;

/** A mail as a person reads it: folded headers unfolded, quoted-printable escapes decoded (the capture joined its soft breaks). */
function readable(raw: string): string {
  const unfolded = raw.replace(/\r\n(?=[ \t])/g, '');
  return Buffer.from(unfolded.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))), 'latin1').toString('utf8');
}

/** A tenant with one member of each role, as an operator makes them. */
async function tenantWithMembers(app: MailedApp, name: string, people: Record<string, string>): Promise<string> {
  const tenant = await app.root('POST', '/v1/tenants', { name });
  assert.equal(tenant.statusCode, 201, tenant.body);
  const id = tenant.json().id as string;
  for (const [email, role] of Object.entries(people)) {
    const added = await app.root('POST', `/v1/tenants/${id}/members`, { email, role });
    assert.equal(added.statusCode, 201, added.body);
  }
  return id;
}

async function keyExpiringIn(app: MailedApp, clock: ManualClock, tenantId: string, name: string, days: number): Promise<{ id: string; start: string; end: string }> {
  const res = await app.root('POST', `/v1/tenants/${tenantId}/keys`, { name, environment: 'production', expires_at: new Date(clock.now().getTime() + days * DAY_MS).toISOString() });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().key;
}

describe('key expiry notices', () => {
  it("mails each owner and admin once about the keys that expire within the period, and nobody else; a later key's turn comes later", async (t) => {
    const clock = new ManualClock(new Date('2026-12-01T09:00:00Z'));
    const app = await startMailedApp(t, { LATCHKEY_PUBLIC_URL: 'https://keys.example.com/' }, { clock });
    const acme = await tenantWithMembers(app, 'Acme & Sons', { 'olivia@acme.example': 'owner', 'adam@acme.example': 'admin', 'dev@acme.example': 'developer', 'vic@acme.example': 'viewer' });
    const due = await keyExpiringIn(app, clock, acme, 'prod-<order>-bot', 3);
    const later = await keyExpiringIn(app, clock, acme, 'nightly-export', 30);
    const revoked = await keyExpiringIn(app, clock, acme, 'old', 2);
    assert.equal((await app.root('POST', `/v1/tenants/${acme}/keys/${revoked.id}/revoke`)).statusCode, 200);
    // Rotated with a grace period: the old key now expires in a day, by design, and its successor is there.
    const rotated = await keyExpiringIn(app, clock, acme, 'rotated', 200);
    assert.equal((await app.root('POST', `/v1/tenants/${acme}/keys/${rotated.id}/rotate`, { grace_period_seconds: DAY })).statusCode, 201);
    // A tenant nobody can be told about: its notice is settled, with a line in the log.
    const orphan = await tenantWithMembers(app, 'Orphan', { 'dana@orphan.example': 'developer' });
    await keyExpiringIn(app, clock, orphan, 'lonely', 1);

    const notices = app.services.expiryNotices;
    assert.ok(notices, 'on with SMTP configured');
    assert.equal(await notices.run(), 2);
    for (const person of ['dev@acme.example', 'vic@acme.example', 'dana@orphan.example']) assert.deepEqual(app.mail.mailsTo(person), [], person);
    for (const person of ['olivia@acme.example', 'adam@acme.example']) {
      const mails = app.mail.mailsTo(person);
      assert.equal(mails.length, 1, person);
      const mail = readable(mails[0]!.raw);
      assert.match(mail, /^Subject: Latchkey: the API key prod-<order>-bot of Acme & Sons expires on 2026-12-04$/m);
      assert.match(mail, new RegExp(`- prod-<order>-bot \\(production, ${due.start}…${due.end}\\) expires on 2026-12-04 at 09:00 UTC`));
      assert.match(mail, new RegExp(`https://keys\\.example\\.com/keys/${due.id}\\?tenant=${acme}`), 'a link to the key, once');
      assert.match(mail, /401 expired_api_key/);
      assert.match(mail, /<a href="https:\/\/keys\.example\.com\/keys\/key_\w+\?tenant=ten_\w+">prod-&#60;order&#62;-bot<\/a>/, 'names escaped in HTML');
      assert.match(mail, /as an owner or admin of Acme &#38; Sons/);
      assert.doesNotMatch(mail, /nightly-export|rotated|old/);
    }
    assert.match(app.logs(), /"keyIds":\["key_\w+"\],"msg":"keys expire soon, but the tenant has no owner or admin to tell"/);

    // Once per key and expiry.
    assert.equal(await notices.run(), 0);
    assert.equal(app.mail.mailsTo('olivia@acme.example').length, 1);

    // Four weeks on, the later key's turn.
    clock.advance(24 * DAY);
    assert.equal(await notices.run(), 1);
    const [, second] = app.mail.mailsTo('olivia@acme.example').map((mail) => readable(mail.raw));
    assert.match(second ?? '', /^Subject: Latchkey: the API key nightly-export of Acme & Sons expires on 2026-12-31$/m);
    assert.ok(later.id);
  });

  it('notices a key again for a new expiry, and sends a notice whose mail failed at the next run', async (t) => {
    const clock = new ManualClock(new Date('2026-12-01T09:00:00Z'));
    const app = await startMailedApp(t, {}, { clock });
    const acme = await tenantWithMembers(app, 'Acme', { 'olivia@acme.example': 'owner' });
    const first = await keyExpiringIn(app, clock, acme, 'first', 2);
    const second = await keyExpiringIn(app, clock, acme, 'second', 5);
    const notices = app.services.expiryNotices!;

    app.mail.refusing = true;
    assert.equal(await notices.run(), 0);
    assert.match(app.logs(), /mailing key expiry notices failed; they are sent at a later run/);
    app.mail.refusing = false;
    assert.equal(await notices.run(), 2, 'both, at the next run');
    const mails = app.mail.mailsTo('olivia@acme.example').map((mail) => readable(mail.raw));
    assert.equal(mails.length, 1, 'one mail for the tenant');
    assert.match(mails[0]!, /^Subject: Latchkey: 2 API keys of Acme expire within 7 days$/m);
    assert.match(mails[0]!, /- first \(production, .*\) expires on 2026-12-03[^]*- second \(production, .*\) expires on 2026-12-06/, 'soonest first');
    assert.doesNotMatch(mails[0]!, /https?:\/\/[^\s"]*\/keys\//, 'no link without LATCHKEY_PUBLIC_URL');

    // Given a later expiry, still within the period: noticed again, for the new one.
    const moved = await app.root('PATCH', `/v1/tenants/${acme}/keys/${first.id}`, { expires_at: new Date(clock.now().getTime() + 6 * DAY_MS).toISOString() });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.equal(await notices.run(), 1);
    assert.match(readable(app.mail.mailsTo('olivia@acme.example')[1]!.raw), /^Subject: Latchkey: the API key first of Acme expires on 2026-12-07$/m);
    assert.ok(second.id);
  });

  it('sends one notice when two nodes run at once on one database', async (t) => {
    const clock = new ManualClock(new Date('2026-12-01T09:00:00Z'));
    const one = await startMailedApp(t, {}, { clock });
    const acme = await tenantWithMembers(one, 'Acme', { 'olivia@acme.example': 'owner' });
    await keyExpiringIn(one, clock, acme, 'soon', 2);
    const two = await startTestApp(t, { LATCHKEY_DATABASE_URL: one.services.config.databaseUrl, LATCHKEY_SMTP_URL: one.mail.url }, { clock });
    const runs = await Promise.all([one.services.expiryNotices!.run(), two.services.expiryNotices!.run()]);
    assert.deepEqual(runs.sort(), [0, 1]);
    assert.equal(one.mail.mailsTo('olivia@acme.example').length, 1);
  });

  it('is off without SMTP or with LATCHKEY_KEY_EXPIRY_NOTICE_DAYS=0, and refuses a period that is not a whole number of days up to 365', async (t) => {
    assert.equal((await startTestApp(t)).services.expiryNotices, undefined, 'no SMTP: nobody to mail');
    assert.equal((await startMailedApp(t, { LATCHKEY_KEY_EXPIRY_NOTICE_DAYS: '0' })).services.expiryNotices, undefined);
    assert.equal(loadConfig({}).keyExpiryNoticeDays, 7);
    assert.equal(loadConfig({ LATCHKEY_KEY_EXPIRY_NOTICE_DAYS: '30' }).keyExpiryNoticeDays, 30);
    for (const bad of ['-1', '1.5', '366', 'week']) {
      assert.throws(() => loadConfig({ LATCHKEY_KEY_EXPIRY_NOTICE_DAYS: bad }), /LATCHKEY_KEY_EXPIRY_NOTICE_DAYS must be a whole number from 0 to 365/, bad);
    }
  });
});
