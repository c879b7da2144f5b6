import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cliWorld, lines } from './cli-harness.js';

describe('latchkey tenant', () => {
  it('creates a tenant with the defaults and tells what to do next', async (t) => {
    const world = cliWorld(t);
    const run = await world.run(['tenant', 'create', '--name', 'Acme']);
    assert.equal(run.code, 0, run.stderr);
    const [created, next] = lines(run.stdout);
    assert.match(created ?? '', /^Created tenant ten_\w+ \(Acme\): plan standard, active\.$/);
    assert.match(next ?? '', /^Next: npx latchkey key create --tenant ten_\w+ --name <name> --env production$/);
    const id = /ten_\w+/.exec(created ?? '')?.[0] ?? '';
    const stored = await (await world.services()).tenants.get(id);
    assert.equal(stored.name, 'Acme');
  });

  it('prints the API shape with --json and accepts plan, status and key prefix', async (t) => {
    const world = cliWorld(t);
    const run = await world.run(['tenant', 'create', '--name', 'Globex', '--plan', 'pro', '--status', 'pending', '--key-prefix', 'globex', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const tenant = run.json();
    assert.deepEqual(Object.keys(tenant).sort(), ['created_at', 'id', 'key_prefix', 'name', 'plan', 'status', 'updated_at']);
    assert.equal(tenant.plan, 'pro');
    assert.equal(tenant.status, 'pending');
    assert.equal(tenant.key_prefix, 'globex');
    assert.match(tenant.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  });

  it('refuses a plan this deployment does not have as a bad argument naming --plan', async (t) => {
    const run = await cliWorld(t).run(['tenant', 'create', '--name', 'Acme', '--plan', 'platinum', '--json']);
    assert.equal(run.code, 2);
    assert.equal(run.error().code, 'invalid_arguments');
    assert.deepEqual(run.error().fields, [{ field: '--plan', message: 'must be one of free, standard, pro, enterprise' }]);
  });

  it('updates, shows and lists tenants; the change is audited as the system', async (t) => {
    const world = cliWorld(t);
    const a = (await world.run(['tenant', 'create', '--name', 'Acme', '--json'])).json();
    const b = (await world.run(['tenant', 'create', '--name', 'Initech', '--json'])).json();
    const updated = await world.run(['tenant', 'update', a.id, '--plan', 'enterprise', '--status', 'suspended', '--name', 'Acme Corp']);
    assert.equal(updated.code, 0, updated.stderr);
    assert.equal(updated.stdout, `Tenant ${a.id} (Acme Corp): plan enterprise, suspended.\n`);

    const shown = (await world.run(['tenant', 'show', a.id, '--json'])).json();
    assert.equal(shown.status, 'suspended');
    assert.equal(shown.plan, 'enterprise');

    const list = await world.run(['tenant', 'list']);
    const [header, ...rows] = lines(list.stdout);
    assert.match(header ?? '', /^ID\s+NAME\s+PLAN\s+STATUS$/);
    assert.equal(rows.length, 2);
    assert.ok(rows.some((r) => r.startsWith(b.id) && /Initech\s+standard\s+active/.test(r)));
    assert.deepEqual((await world.run(['tenant', 'list', '--json'])).json().data.map((x: { id: string }) => x.id).sort(), [a.id, b.id].sort());
    assert.deepEqual((await world.run(['tenant', 'list', '--search', 'ACME', '--json'])).json().data.map((x: { id: string }) => x.id), [a.id], 'names containing it, A–Z in any case');
    assert.deepEqual((await world.run(['tenant', 'list', '--search', b.id, '--json'])).json().data.map((x: { id: string }) => x.id), [b.id], 'or the tenant with that id');
    assert.equal((await world.run(['tenant', 'list', '--search', 'globex'])).stdout, 'No tenants match.\n');
    const long = await world.run(['tenant', 'list', '--search', 'a'.repeat(201)]);
    assert.equal(long.code, 2);
    assert.match(long.stderr, /--search/);

    const services = await world.services();
    const audit = await services.auditStore.list(a.id, { limit: 10 });
    const entry = audit.data.find((e) => e.action === 'tenant.updated');
    assert.deepEqual(entry?.actor, { type: 'operator', id: 'cli' }, 'the CLI, told apart from background jobs');
  });

  it('answers an unknown tenant with not_found', async (t) => {
    const world = cliWorld(t);
    for (const args of [['tenant', 'show', 'ten_nope'], ['tenant', 'update', 'ten_nope', '--plan', 'pro']]) {
      const run = await world.run(args);
      assert.equal(run.code, 1);
      assert.equal(run.stderr, 'latchkey: No tenant ten_nope.\n');
    }
  });

  it('says how to start when there are no tenants', async (t) => {
    const run = await cliWorld(t).run(['tenant', 'list']);
    assert.equal(run.stdout, 'No tenants yet: npx latchkey tenant create --name <name>\n');
  });
});
