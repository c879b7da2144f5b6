import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cliWorld } from './cli-harness.js';

const DAY = 24 * 3600 * 1000;

describe('latchkey demo', () => {
  it('fills the database with a tenant, members, keys in every state and a week of traffic; a second run adds nothing', async (t) => {
    const world = cliWorld(t);
    const started = Date.now();
    const run = await world.run(['demo', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const made = run.json();
    assert.equal(made.created, true);
    assert.equal(made.tenant.name, 'Acme Logistics');
    assert.equal(made.tenant.plan, 'pro');
    assert.deepEqual(made.members.map((m: { role: string }) => m.role), ['owner', 'admin', 'developer', 'viewer']);

    const services = await world.services();
    const tenantId = made.tenant.id as string;
    const members = await services.members.list(tenantId);
    assert.deepEqual(members.map((m) => m.role).sort(), ['admin', 'developer', 'owner', 'viewer']);
    assert.ok(members.every((m) => m.user.email.endsWith('@example.com')));

    const keys = (await services.keys.list(tenantId, { limit: 100 }, {})).data;
    assert.deepEqual([...new Set(keys.map((k) => k.environment))].sort(), ['development', 'production', 'staging']);
    assert.ok(keys.every((k) => k.scopes.length > 0), 'every key has scopes');
    assert.equal(keys.filter((k) => k.status === 'inactive').length, 1);
    assert.equal(keys.filter((k) => k.status === 'revoked').length, 1);
    const rotatedOld = keys.find((k) => k.rotatedTo !== null);
    const rotatedNew = keys.find((k) => k.rotatedFrom === rotatedOld?.id);
    assert.ok(rotatedOld && rotatedNew, 'one rotated pair');
    assert.ok(rotatedOld.lastUsedAt && rotatedNew.lastUsedAt, 'both keys of the pair show a last use');
    assert.ok(rotatedNew.lastUsedAt > rotatedOld.lastUsedAt, 'the traffic moved to the new key');

    const db = services.database.db;
    const logs = await db.selectFrom('request_logs').select(['at', 'key_id', 'code']).where('tenant_id', '=', tenantId).execute();
    assert.equal(logs.length, made.requests);
    assert.ok(logs.length > 1000, `a week of traffic, got ${logs.length}`);
    const days = new Set(logs.map((l) => Math.floor((started - Date.parse(l.at)) / DAY)));
    assert.deepEqual([...days].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 40], 'requests on each of the last 7 days, and the forgotten key\'s last one');
    const forgotten = keys.find((k) => k.name === 'prod-nightly-export');
    assert.ok(forgotten?.lastUsedAt, 'the forgotten key was used once');
    assert.equal(Math.floor((started - Date.parse(forgotten.lastUsedAt)) / DAY), 40, 'unused for 40 days: the dashboard flags it');
    assert.ok(logs.every((l) => Date.parse(l.at) <= Date.now()), 'nothing in the future');
    assert.ok(new Set(logs.map((l) => l.code)).size >= 4, 'several outcomes for the charts');
    const usage = await db.selectFrom('key_usage').select((eb) => eb.fn.sum<number>('count').as('total')).where('tenant_id', '=', tenantId).executeTakeFirst();
    assert.equal(Number(usage?.total), logs.length, 'usage counters agree with the request log');
    const audit = await services.auditStore.list(tenantId, { limit: 100 });
    assert.ok(['key.revoked', 'key.deactivated', 'key.rotated'].every((a) => audit.data.some((e) => e.action === a)));

    const trySecret = made.try_secret as string;
    const verdict = await services.verifier.verify({ secret: trySecret, environment: 'production', ip: null, nowMs: Date.now() });
    assert.equal(verdict.ok, true, 'the printed secret works');

    const again = await world.run(['demo']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, `The demo tenant Acme Logistics is already there (${tenantId}); nothing added. See it with: npx latchkey key list --tenant ${tenantId}\n`);
    const tenants = (await world.run(['tenant', 'list', '--json'])).json().data;
    assert.equal(tenants.length, 1);
  });

  it('prints what it made in plain lines', async (t) => {
    const run = await cliWorld(t).run(['demo']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Demo tenant Acme Logistics: ten_\w+ \(plan pro\)\n/);
    assert.match(run.stdout, /olivia\.owner@example\.com \(owner\)/);
    assert.match(run.stdout, /prod-order-bot\s+production\s+active/);
    assert.match(run.stdout, /prod-old-partner\s+production\s+revoked/);
    assert.match(run.stdout, /prod-legacy-sync\s+production\s+inactive/);
    assert.match(run.stdout, /Traffic: \d+ requests over the last 7 days/);
    assert.match(run.stdout, /LATCHKEY_API_KEY=lk_live_\w{38} npx latchkey check --url http:\/\/127\.0\.0\.1:8080 --tenant ten_\w+/);
  });

  it('suggests the check at the URL the server will have: its port, or LATCHKEY_PUBLIC_URL', async (t) => {
    assert.match((await cliWorld(t).run(['demo'], { LATCHKEY_PORT: '9123', LATCHKEY_HOST: '0.0.0.0' })).stdout, /check --url http:\/\/127\.0\.0\.1:9123 /);
    assert.match((await cliWorld(t).run(['demo'], { LATCHKEY_PUBLIC_URL: 'https://keys.example.com/' })).stdout, /check --url https:\/\/keys\.example\.com --tenant/);
  });
});
