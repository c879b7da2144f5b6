import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildApp } from '../../src/http/app.js';
import { eventually } from '../support/processes.js';
import { cliWorld, lines } from './cli-harness.js';

describe('latchkey root-token create', () => {
  it('prints a working operator token once, says it will not be shown again, and stores only its digest', async (t) => {
    const world = cliWorld(t);
    const run = await world.run(['root-token', 'create', '--name', 'deploy-pipeline']);
    assert.equal(run.code, 0, run.stderr);
    const token = /lkr_\w+/.exec(run.stdout)?.[0] ?? '';
    assert.match(token, /^lkr_[0-9A-Za-z]{43}$/);
    assert.match(run.stdout, /^Created root token rtk_\w+ \(deploy-pipeline\):/);
    assert.match(run.stdout, /will not be shown again/);

    const services = await world.services();
    const app = await buildApp(services);
    t.after(() => app.close());
    const res = await app.inject({ method: 'GET', url: '/v1/tenants', headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.statusCode, 200, 'the token authenticates on the management API');
    const wrong = await app.inject({ method: 'GET', url: '/v1/tenants', headers: { authorization: `Bearer ${token.slice(0, -1)}${token.endsWith('x') ? 'y' : 'x'}` } });
    assert.equal(wrong.statusCode, 401);

    const rows = await services.database.db.selectFrom('root_tokens').selectAll().execute();
    assert.equal(rows.length, 1);
    assert.equal(JSON.stringify(rows).includes(token), false, 'the token itself is not stored');
  });

  it('gives id, name, token and created_at with --json, and refuses an empty name', async (t) => {
    const world = cliWorld(t);
    const made = (await world.run(['root-token', 'create', '--name', 'ci', '--json'])).json();
    assert.deepEqual(Object.keys(made).sort(), ['access', 'created_at', 'id', 'name', 'token']);
    assert.equal(made.access, 'full');
    assert.equal(made.name, 'ci');
    const empty = await world.run(['root-token', 'create', '--name', ' ']);
    assert.equal(empty.code, 2);
    assert.equal(lines(empty.stderr).length, 1);
    assert.match(empty.stderr, /^latchkey: option '--name <name>': must be 1-100 characters/);
    const json = await world.run(['root-token', 'create', '--name', '', '--json']);
    assert.equal(json.code, 2);
    assert.deepEqual(json.error().fields, [{ field: '--name', message: 'must be 1-100 characters' }]);
  });

  it('lists tokens with their last use, never the tokens, and revokes one: calls with it are then 401', async (t) => {
    const world = cliWorld(t);
    const deploy = (await world.run(['root-token', 'create', '--name', 'deploy', '--json'])).json();
    const sdk = (await world.run(['root-token', 'create', '--name', 'orders-service', '--json'])).json();
    const services = await world.services();
    const app = await buildApp(services);
    t.after(() => app.close());
    const call = (token: string) => app.inject({ method: 'GET', url: '/v1/tenants', headers: { authorization: `Bearer ${token}` } });
    assert.equal((await call(sdk.token)).statusCode, 200);

    const listed = await world.run(['root-token', 'list', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    const byName = Object.fromEntries(listed.json().data.map((row: Record<string, unknown>) => [row.name, row]));
    assert.deepEqual(Object.keys(byName).sort(), ['deploy', 'orders-service']);
    assert.equal(byName.deploy.last_used_at, null);
    assert.match(byName['orders-service'].last_used_at, /^\d{4}-\d\d-\d\dT/);
    assert.equal(byName.deploy.revoked_at, null);
    const text = await world.run(['root-token', 'list']);
    assert.match(lines(text.stdout)[0] ?? '', /^ID\s+NAME\s+ACCESS\s+CREATED\s+LAST USED\s+REVOKED$/);
    for (const run of [listed, text]) assert.equal([deploy.token, sdk.token].some((token) => run.stdout.includes(token)), false, 'never a token');

    const revoked = await world.run(['root-token', 'revoke', sdk.id]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, /^Revoked root token rtk_\w+ \(orders-service\)/);
    // Another process revoked it: a server that found the token trusts it for at most a second more.
    assert.ok(await eventually(async () => (await call(sdk.token)).statusCode === 401, 3000), 'refused within a second');
    assert.equal((await call(deploy.token)).statusCode, 200, 'the other token still works');
    assert.equal((await world.run(['root-token', 'revoke', sdk.id])).code, 0, 'revoking again is harmless');
    const after = (await world.run(['root-token', 'list', '--json'])).json().data.find((row: { id: string }) => row.id === sdk.id);
    assert.match(after.revoked_at, /^\d{4}-/);

    const unknown = await world.run(['root-token', 'revoke', 'rtk_nope']);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, 'latchkey: No root token rtk_nope.\n');
  });

  it('makes a verify-only token: the verify API answers it, every other management call is 403', async (t) => {
    const world = cliWorld(t);
    const run = await world.run(['root-token', 'create', '--name', 'orders-service', '--verify-only']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Created verify-only root token rtk_\w+ \(orders-service\):/);
    assert.match(run.stdout, /may only verify keys/);
    const token = /lkr_\w+/.exec(run.stdout)?.[0] ?? '';
    const full = (await world.run(['root-token', 'create', '--name', 'ops', '--json'])).json();

    const services = await world.services();
    const app = await buildApp(services);
    t.after(() => app.close());
    const call = (method: 'GET' | 'POST', url: string, bearer: string, payload?: object) =>
      app.inject({ method, url, headers: { authorization: `Bearer ${bearer}` }, ...(payload ? { payload } : {}) });
    const verify = await call('POST', '/v1/keys/verify', token, { key: 'lk_live_nope' });
    assert.equal(verify.statusCode, 200);
    assert.equal(verify.json().code, 'malformed_api_key');
    for (const [method, url, payload] of [['GET', '/v1/tenants'], ['POST', '/v1/tenants', { name: 'Evil' }], ['GET', '/metrics'], ['GET', '/v1/tenants/ten_x/keys']] as const) {
      const res = await call(method, url, token, payload);
      assert.equal(res.statusCode, 403, `${method} ${url}`);
      assert.equal(res.json().code, 'forbidden');
      assert.equal(res.json().details, 'This root token may only verify keys (POST /v1/keys/verify).');
    }
    assert.equal((await call('GET', '/v1/tenants', full.token)).statusCode, 200, 'a full token still may');
    const listed = (await world.run(['root-token', 'list', '--json'])).json().data;
    assert.deepEqual(listed.map((row: { name: string; access: string }) => [row.name, row.access]), [['orders-service', 'verify'], ['ops', 'full']]);
  });
});
