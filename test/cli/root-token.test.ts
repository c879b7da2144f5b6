import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildApp } from '../../src/http/app.js';
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
    const wrong = await app.inject({ method: 'GET', url: '/v1/tenants', headers: { authorization: `Bearer ${token.slice(0, -1)}x` } });
    assert.equal(wrong.statusCode, 401);

    const rows = await services.database.db.selectFrom('root_tokens').selectAll().execute();
    assert.equal(rows.length, 1);
    assert.equal(JSON.stringify(rows).includes(token), false, 'the token itself is not stored');
  });

  it('gives id, name, token and created_at with --json, and refuses an empty name', async (t) => {
    const world = cliWorld(t);
    const made = (await world.run(['root-token', 'create', '--name', 'ci', '--json'])).json();
    assert.deepEqual(Object.keys(made).sort(), ['created_at', 'id', 'name', 'token']);
    assert.equal(made.name, 'ci');
    const empty = await world.run(['root-token', 'create', '--name', ' ']);
    assert.equal(empty.code, 2);
    assert.equal(lines(empty.stderr).length, 1);
    assert.match(empty.stderr, /--name <name>' must be 1-100 characters/);
  });
});
