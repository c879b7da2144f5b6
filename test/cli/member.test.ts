import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cliWorld, lines } from './cli-harness.js';

describe('latchkey member', () => {
  it('adds members with roles and a phone, and lists them', async (t) => {
    const world = cliWorld(t);
    const tenant = (await world.run(['tenant', 'create', '--name', 'Acme', '--json'])).json();
    const owner = await world.run(['member', 'add', '--tenant', tenant.id, '--email', 'Olivia@Example.com', '--role', 'owner', '--phone', '+14155550100']);
    assert.equal(owner.code, 0, owner.stderr);
    assert.match(owner.stdout, new RegExp(`^Added olivia@example\\.com to ${tenant.id} as owner \\(user usr_\\w+\\)\\.\\n$`));
    const viewer = (await world.run(['member', 'add', '--tenant', tenant.id, '--email', 'victor@example.com', '--role', 'viewer', '--json'])).json();
    assert.deepEqual(Object.keys(viewer).sort(), ['created_at', 'email', 'joined_at', 'phone', 'role', 'updated_at', 'user_id']);
    assert.equal(viewer.role, 'viewer');
    assert.equal(viewer.phone, null);

    const list = await world.run(['member', 'list', '--tenant', tenant.id]);
    const [header, ...rows] = lines(list.stdout);
    assert.match(header ?? '', /^USER\s+EMAIL\s+ROLE\s+PHONE$/);
    assert.equal(rows.length, 2);
    assert.ok(rows.some((r) => /olivia@example\.com\s+owner\s+\+14155550100/.test(r)));
    assert.ok(rows.some((r) => /victor@example\.com\s+viewer\s+-/.test(r)));
    const members = await (await world.services()).members.list(tenant.id);
    assert.deepEqual(members.map((m) => m.role).sort(), ['owner', 'viewer']);
  });

  it('refuses a second membership, a bad phone (exit 2) and an unknown tenant with one line each', async (t) => {
    const world = cliWorld(t);
    const tenant = (await world.run(['tenant', 'create', '--name', 'Acme', '--json'])).json();
    await world.run(['member', 'add', '--tenant', tenant.id, '--email', 'a@example.com', '--role', 'admin']);
    const again = await world.run(['member', 'add', '--tenant', tenant.id, '--email', 'a@example.com', '--role', 'viewer', '--json']);
    assert.equal(again.code, 1);
    assert.equal(again.error().code, 'conflict');
    const phone = await world.run(['member', 'add', '--tenant', tenant.id, '--email', 'b@example.com', '--role', 'viewer', '--phone', '0155 5501']);
    assert.equal(phone.code, 2, 'a bad argument');
    assert.match(phone.stderr, /^latchkey: option '--phone <phone>': must be in E\.164 form/);
    const missing = await world.run(['member', 'add', '--tenant', 'ten_nope', '--email', 'b@example.com', '--role', 'viewer']);
    assert.equal(missing.code, 1);
    assert.equal(lines(missing.stderr).length, 1);
    assert.match(missing.stderr, /ten_nope/);
    const noTenant = await world.run(['member', 'add', '--email', 'b@example.com', '--role', 'viewer']);
    assert.equal(noTenant.code, 2);
  });
});
