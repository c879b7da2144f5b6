import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addMember, asUser, signIn, startMailedApp } from '../support/sign-in.js';
import { createTenant, startTestApp } from '../support/test-app.js';

describe('members API', () => {
  it('adds, lists, changes and removes members, with audit entries', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const base = `/v1/tenants/${tenant.id}/members`;
    const owner = await app.root('POST', base, { email: 'Olivia@Example.com', role: 'owner' });
    assert.equal(owner.statusCode, 201);
    assert.equal(owner.json().email, 'olivia@example.com', 'e-mail is normalised');
    assert.match(owner.json().user_id, /^usr_/);
    const admin = await app.root('POST', base, { email: 'adam@example.com', role: 'admin', phone: '+14155550100' });
    assert.equal(admin.json().phone, '+14155550100');

    const list = await app.root('GET', base);
    assert.deepEqual(list.json().data.map((m: { email: string; role: string }) => [m.email, m.role]), [['olivia@example.com', 'owner'], ['adam@example.com', 'admin']]);

    const changed = await app.root('PATCH', `${base}/${admin.json().user_id}`, { role: 'viewer' });
    assert.equal(changed.json().role, 'viewer');
    const withBody = await app.root('DELETE', `${base}/${admin.json().user_id}`, { cascade: true });
    assert.equal(withBody.statusCode, 400, 'DELETE takes no body');
    assert.deepEqual(withBody.json().fields, [{ field: 'cascade', message: 'is not a known field' }]);
    assert.equal((await app.root('GET', base)).json().data.length, 2, 'nobody was removed');
    const removed = await app.root('DELETE', `${base}/${admin.json().user_id}`);
    assert.equal(removed.statusCode, 204);
    assert.equal((await app.root('GET', base)).json().data.length, 1);

    const actions = (await app.root('GET', `/v1/tenants/${tenant.id}/audit-log`)).json().data.map((e: { action: string }) => e.action);
    for (const action of ['member.added', 'member.updated', 'member.removed']) assert.ok(actions.includes(action), action);
  });

  it('refuses a duplicate member (409), a bad e-mail or phone (400), and keeps the last owner', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const base = `/v1/tenants/${tenant.id}/members`;
    const owner = (await app.root('POST', base, { email: 'o@example.com', role: 'owner' })).json();
    const dup = await app.root('POST', base, { email: 'O@example.com', role: 'viewer' });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().code, 'conflict');
    // The same address with a precomposed ë (NFC) and with e + combining diaeresis (NFD): one person.
    const zoe = await app.root('POST', base, { email: 'zo\u00eb@example.com', role: 'viewer' });
    assert.equal(zoe.statusCode, 201);
    const zoeAgain = await app.root('POST', base, { email: 'ZOE\u0308@example.com', role: 'viewer' });
    assert.equal(zoeAgain.statusCode, 409, zoeAgain.body);
    assert.equal(zoe.json().email, 'zo\u00eb@example.com');
    // Blanks around an address (pasted from a mail client) are dropped, as the CLI and sign-in drop them.
    const padded = await app.root('POST', base, { email: ' \tAna@Example.com ', role: 'viewer' });
    assert.equal(padded.statusCode, 201, padded.body);
    assert.equal(padded.json().email, 'ana@example.com');
    assert.equal((await app.root('POST', base, { email: 'ana@example.com', role: 'viewer' })).statusCode, 409, 'the same person');
    assert.equal((await app.root('POST', base, { email: 'an a@example.com', role: 'viewer' })).json().fields[0].field, 'email', 'a blank inside is no address');
    assert.equal((await app.root('POST', base, { email: 'not-an-email', role: 'viewer' })).json().fields[0].field, 'email');
    assert.equal((await app.root('POST', base, { email: 'p@example.com', role: 'viewer', phone: '0155 1234' })).json().fields[0].field, 'phone');
    assert.equal((await app.root('POST', base, { email: 'p@example.com', role: 'boss' })).json().fields[0].field, 'role');
    const demote = await app.root('PATCH', `${base}/${owner.user_id}`, { role: 'admin' });
    assert.equal(demote.statusCode, 409);
    const remove = await app.root('DELETE', `${base}/${owner.user_id}`);
    assert.equal(remove.statusCode, 409);
    assert.equal((await app.root('DELETE', `${base}/usr_missing`)).statusCode, 404);
  });

  it('lists members a page at a time, in the order they joined', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const base = `/v1/tenants/${tenant.id}/members`;
    const emails = ['m1@example.com', 'm2@example.com', 'm3@example.com'];
    for (const email of emails) assert.equal((await app.root('POST', base, { email, role: 'developer' })).statusCode, 201);
    const first = await app.root('GET', `${base}?limit=2`);
    assert.equal(first.statusCode, 200);
    assert.deepEqual(first.json().data.map((m: { email: string }) => m.email), emails.slice(0, 2));
    assert.equal(typeof first.json().next_cursor, 'string');
    const second = await app.root('GET', `${base}?limit=2&cursor=${first.json().next_cursor}`);
    assert.deepEqual(second.json().data.map((m: { email: string }) => m.email), emails.slice(2));
    assert.equal(second.json().next_cursor, null);
    for (const query of ['limit=0', 'limit=abc', 'limit=101', 'cursor=not-a-cursor']) {
      const res = await app.root('GET', `${base}?${query}`);
      assert.equal(res.statusCode, 400, query);
      assert.equal(res.json().code, 'invalid_request', query);
    }
  });

  it('a user may belong to several tenants with different roles', async (t) => {
    const app = await startTestApp(t);
    const a = await createTenant(app);
    const b = await createTenant(app);
    const inA = (await app.root('POST', `/v1/tenants/${a.id}/members`, { email: 'x@example.com', role: 'owner' })).json();
    const inB = (await app.root('POST', `/v1/tenants/${b.id}/members`, { email: 'x@example.com', role: 'viewer' })).json();
    assert.equal(inA.user_id, inB.user_id);
    assert.equal(inB.role, 'viewer');
  });

  it("lets a tenant's admin set the phone only of people in no other tenant; an operator may set anyone's", async (t) => {
    const app = await startMailedApp(t);
    const a = await createTenant(app, { name: 'A' });
    const b = await createTenant(app, { name: 'B' });
    await addMember(app, a.id, 'admin@a.example', 'admin');
    const shared = (await app.root('POST', `/v1/tenants/${b.id}/members`, { email: 'shared@b.example', role: 'viewer', phone: '+14155550100' })).json();
    const asAdmin = asUser(app, await signIn(app, 'admin@a.example'));
    const phoneInB = async () => ((await app.root('GET', `/v1/tenants/${b.id}/members`)).json().data as { user_id: string; phone: string | null }[]).find((m) => m.user_id === shared.user_id)?.phone;

    // Adding the person to A with another phone would send their step-up codes elsewhere: refused, nothing added.
    const add = await asAdmin('POST', `/v1/tenants/${a.id}/members`, { email: 'shared@b.example', role: 'viewer', phone: '+19999999999' });
    assert.equal(add.statusCode, 403);
    assert.equal(add.json().code, 'forbidden');
    assert.equal(await phoneInB(), '+14155550100');
    assert.equal((await asAdmin('GET', `/v1/tenants/${a.id}/members`)).json().data.length, 1, 'not added');

    // Added without a phone, then changed: refused too.
    assert.equal((await asAdmin('POST', `/v1/tenants/${a.id}/members`, { email: 'shared@b.example', role: 'viewer' })).statusCode, 201);
    assert.equal((await asAdmin('PATCH', `/v1/tenants/${a.id}/members/${shared.user_id}`, { phone: '+19999999999' })).statusCode, 403);
    assert.equal((await asAdmin('PATCH', `/v1/tenants/${a.id}/members/${shared.user_id}`, { phone: '+14155550100' })).statusCode, 403, 'the right number too: no oracle');
    // A refused phone changes nothing else of the request either.
    assert.equal((await asAdmin('PATCH', `/v1/tenants/${a.id}/members/${shared.user_id}`, { role: 'admin', phone: '+19999999999' })).statusCode, 403);
    const sharedInA = ((await asAdmin('GET', `/v1/tenants/${a.id}/members`)).json().data as { user_id: string; role: string }[]).find((m) => m.user_id === shared.user_id);
    assert.equal(sharedInA?.role, 'viewer');
    assert.equal(await phoneInB(), '+14155550100');

    // A's list shows that the shared person has a phone, not the number; an operator and the person see it whole.
    const inA = async (as: typeof asAdmin) => ((await as('GET', `/v1/tenants/${a.id}/members`)).json().data as { user_id: string; phone: string | null }[]).find((m) => m.user_id === shared.user_id)?.phone;
    assert.equal(await inA(asAdmin), '••••••00');
    assert.equal(await inA((method, url) => app.root(method, url)), '+14155550100');
    assert.equal(await inA(asUser(app, await signIn(app, 'shared@b.example'))), '+14155550100');

    // A number set while the person was A's alone (before B added them) can be cleared by B: clearing sends codes nowhere.
    const early = (await asAdmin('POST', `/v1/tenants/${a.id}/members`, { email: 'newhire@b.example', role: 'viewer', phone: '+19995550000' })).json();
    assert.equal((await app.root('POST', `/v1/tenants/${b.id}/members`, { email: 'newhire@b.example', role: 'owner' })).statusCode, 201);
    const asB = asUser(app, await signIn(app, 'newhire@b.example'));
    const cleared = await asB('PATCH', `/v1/tenants/${b.id}/members/${early.user_id}`, { phone: null });
    assert.equal(cleared.statusCode, 200);
    assert.equal(cleared.json().phone, null);
    const entry = ((await app.root('GET', `/v1/tenants/${b.id}/audit-log?action=member.updated`)).json().data as { details: Record<string, unknown> }[])[0]!;
    assert.deepEqual(entry.details, { phone: 'cleared' }, 'the role did not change, so the entry does not name it');
    assert.ok(!JSON.stringify(entry).includes('9995550000'), 'no number in the audit log');

    // Someone only A has: its admin sets their phone and sees it. An operator may set anyone's.
    const own = (await asAdmin('POST', `/v1/tenants/${a.id}/members`, { email: 'own@a.example', role: 'viewer', phone: '+14155550111' })).json();
    assert.equal(own.phone, '+14155550111');
    assert.equal((await asAdmin('PATCH', `/v1/tenants/${a.id}/members/${own.user_id}`, { phone: '+14155550112' })).json().phone, '+14155550112');
    assert.equal((await app.root('PATCH', `/v1/tenants/${a.id}/members/${shared.user_id}`, { phone: '+14155550199' })).json().phone, '+14155550199');
  });

  it("does not let a tenant set or see the phone of an operator, who may belong to no tenant at all: it receives the operator's step-up codes", async (t) => {
    const app = await startMailedApp(t, { LATCHKEY_ADMIN_EMAILS: 'ops@latchkey.example' });
    const a = await createTenant(app, { name: 'A' });
    await addMember(app, a.id, 'owner@a.example', 'owner');
    const asOwner = asUser(app, await signIn(app, 'owner@a.example'));

    const add = await asOwner('POST', `/v1/tenants/${a.id}/members`, { email: 'OPS@latchkey.example', role: 'viewer', phone: '+14155550100' });
    assert.equal(add.statusCode, 403);
    assert.equal(add.json().code, 'forbidden');
    // The same answer as for someone in other tenants: it does not tell which addresses are operators'.
    assert.match(add.json().details, /^This person's phone receives their step-up codes beyond this tenant/);
    const added = await asOwner('POST', `/v1/tenants/${a.id}/members`, { email: 'ops@latchkey.example', role: 'viewer' });
    assert.equal(added.statusCode, 201);
    const opsId: string = added.json().user_id;
    assert.equal((await asOwner('PATCH', `/v1/tenants/${a.id}/members/${opsId}`, { phone: '+14155550100' })).statusCode, 403);

    // The operator sets their own (through the root token here); the tenant sees only that there is one.
    assert.equal((await app.root('PATCH', `/v1/tenants/${a.id}/members/${opsId}`, { phone: '+14155550123' })).statusCode, 200);
    const listed = ((await asOwner('GET', `/v1/tenants/${a.id}/members`)).json().data as { user_id: string; phone: string | null }[]).find((m) => m.user_id === opsId);
    assert.equal(listed?.phone, '••••••23');
    const asOps = asUser(app, await signIn(app, 'ops@latchkey.example'));
    const own = ((await asOps('GET', `/v1/tenants/${a.id}/members`)).json().data as { user_id: string; phone: string | null }[]).find((m) => m.user_id === opsId);
    assert.equal(own?.phone, '+14155550123');
    // Clearing sends codes nowhere new: any tenant of the person may.
    assert.equal((await asOwner('PATCH', `/v1/tenants/${a.id}/members/${opsId}`, { phone: null })).statusCode, 200);
  });
});
