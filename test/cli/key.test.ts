import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sha256Hex } from '../../src/core/digest.js';
import { type CliWorld, cliWorld, lines } from './cli-harness.js';

async function tenant(world: CliWorld, ...args: string[]): Promise<string> {
  const run = await world.run(['tenant', 'create', '--name', 'Acme', ...args, '--json']);
  assert.equal(run.code, 0, run.stderr);
  return run.json().id;
}

async function createKey(world: CliWorld, tenantId: string, ...args: string[]): Promise<{ key: Record<string, any>; secret: string }> {
  const run = await world.run(['key', 'create', '--tenant', tenantId, '--name', 'bot', '--env', 'production', ...args, '--json']);
  assert.equal(run.code, 0, run.stderr);
  return run.json();
}

describe('latchkey key create', () => {
  it('prints the secret once with a line saying it will not be shown again, and stores only its digest', async (t) => {
    const world = cliWorld(t);
    const tenantId = await tenant(world);
    const run = await world.run(['key', 'create', '--tenant', tenantId, '--name', 'prod-order-bot', '--env', 'production', '--scope', 'orders:read', '--scope', 'orders:write']);
    assert.equal(run.code, 0, run.stderr);
    const secret = /lk_live_[0-9A-Za-z]{38}/.exec(run.stdout)?.[0] ?? '';
    assert.ok(secret, run.stdout);
    assert.equal(run.stdout.split(secret).length, 2, 'the secret appears exactly once');
    assert.match(run.stdout, /^Created key key_\w+ \(prod-order-bot\)\./);
    assert.match(run.stdout, /scopes: orders:read, orders:write; rate limit: 100 rpm, burst 100/);
    assert.match(run.stdout, /This secret will not be shown again/);

    const services = await world.services();
    const stored = await services.keyStore.findByDigest(sha256Hex(secret));
    assert.equal(stored?.key.name, 'prod-order-bot');
    assert.equal(stored?.key.createdBy, 'operator:cli');
    const rows = await services.database.db.selectFrom('api_keys').selectAll().execute();
    assert.equal(JSON.stringify(rows).includes(secret), false);
  });

  it('gives the API shape {key, secret} with --json and applies every option', async (t) => {
    const world = cliWorld(t);
    const tenantId = await tenant(world, '--plan', 'pro');
    const { key, secret } = await createKey(world, tenantId,
      '--env', 'staging', '--scope', 'sites:read', '--rpm', '500', '--burst', '50', '--allow-ip', '10.0.0.0/8', '--allow-ip', '2001:db8::/32',
      '--customer', 'cus_1', '--expires', 'never');
    assert.match(secret, /^lk_test_/);
    assert.equal(key.environment, 'staging');
    assert.deepEqual(key.scopes, ['sites:read']);
    assert.deepEqual(key.rate_limit, { requests_per_minute: 500, burst: 50 });
    assert.deepEqual(key.allowed_ips, ['10.0.0.0/8', '2001:db8::/32']);
    assert.deepEqual(key.customer_ids, ['cus_1']);
    assert.equal(key.expires_at, null);
    assert.equal(key.start, secret.slice(0, 12));
    assert.equal(key.end, secret.slice(-4));
    assert.equal('digest' in key, false);

    const dated = await createKey(world, tenantId, '--expires', '2099-01-31');
    assert.equal(dated.key.expires_at, '2099-01-31T00:00:00Z');
  });

  it('refuses what the plan forbids: over the max rpm, never-expiring on standard, past expiry, the key cap', async (t) => {
    const world = cliWorld(t);
    const standard = await tenant(world);
    const base = ['key', 'create', '--tenant', standard, '--name', 'x', '--env', 'production', '--json'];
    const tooFast = await world.run([...base, '--rpm', '5000']);
    // Bad arguments (exit 2) naming the option, though only the tenant's plan can tell.
    assert.equal(tooFast.code, 2);
    assert.equal(tooFast.error().code, 'invalid_arguments');
    assert.deepEqual(tooFast.error().fields, [{ field: '--rpm', message: 'must be 1-1000 on the standard plan' }]);
    const never = await world.run([...base, '--expires', 'never']);
    assert.equal(never.code, 2);
    assert.deepEqual(never.error().fields?.map((f) => f.field), ['--expires']);
    const past = await world.run([...base, '--expires', '2001-01-01T00:00:00Z']);
    assert.equal(past.code, 2);
    assert.deepEqual(past.error().fields, [{ field: '--expires', message: 'must lie in the future' }]);

    const free = await tenant(world, '--plan', 'free');
    const capped = await world.run(['key', 'create', '--tenant', free, '--name', 'x', '--env', 'production']);
    assert.equal(capped.code, 1);
    assert.equal(lines(capped.stderr).length, 1);
    assert.match(capped.stderr, /^latchkey: The free plan allows 0 live keys/);
    assert.equal(capped.stdout, '');
  });

  it('refuses an unknown tenant with not_found and prints no secret', async (t) => {
    const run = await cliWorld(t).run(['key', 'create', '--tenant', 'ten_nope', '--name', 'x', '--env', 'production']);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, 'latchkey: No tenant ten_nope.\n');
    assert.equal(run.stdout, '');
  });
});

describe('latchkey key list and show', () => {
  it('lists keys as a table with id, name, env, status, start…end and last use, filtered by --env, --status and --search', async (t) => {
    const world = cliWorld(t);
    const tenantId = await tenant(world);
    const prod = await createKey(world, tenantId, '--name', 'prod-bot');
    const dev = await createKey(world, tenantId, '--name', 'dev-bot', '--env', 'development');
    await world.run(['key', 'revoke', dev.key.id]);

    const run = await world.run(['key', 'list', '--tenant', tenantId]);
    assert.equal(run.code, 0, run.stderr);
    const [header, ...rows] = lines(run.stdout);
    assert.match(header ?? '', /^ID\s+NAME\s+ENV\s+STATUS\s+KEY\s+LAST USED\s+EXPIRES$/);
    assert.equal(rows.length, 2);
    const prodRow = rows.find((r) => r.startsWith(prod.key.id)) ?? '';
    assert.match(prodRow, new RegExp(`prod-bot\\s+production\\s+active\\s+${prod.key.start}…${prod.key.end}\\s+-\\s+\\d{4}-`));
    assert.ok(rows.some((r) => r.startsWith(dev.key.id) && /development\s+revoked/.test(r)));
    assert.equal(run.stdout.includes(prod.secret), false);

    const revoked = (await world.run(['key', 'list', '--tenant', tenantId, '--status', 'revoked', '--json'])).json();
    assert.deepEqual(revoked.data.map((k: { id: string }) => k.id), [dev.key.id]);
    const production = (await world.run(['key', 'list', '--tenant', tenantId, '--env', 'production', '--json'])).json();
    assert.deepEqual(production.data.map((k: { id: string }) => k.id), [prod.key.id]);
    const none = await world.run(['key', 'list', '--tenant', tenantId, '--env', 'staging']);
    assert.equal(none.stdout, 'No keys match.\n');
    const searched = (await world.run(['key', 'list', '--tenant', tenantId, '--search', 'PROD', '--json'])).json();
    assert.deepEqual(searched.data.map((k: { id: string }) => k.id), [prod.key.id], 'names containing it, A–Z in any case');
    const notFound = await world.run(['key', 'list', '--tenant', tenantId, '--search', 'billing']);
    assert.equal(notFound.stdout, 'No keys match.\n');
    const tooLong = await world.run(['key', 'list', '--tenant', tenantId, '--search', '🔑'.repeat(201)]);
    assert.equal(tooLong.code, 2);
    assert.match(tooLong.stderr, /--search <text>.*at most 200 characters/);
    assert.equal((await world.run(['key', 'list', '--tenant', tenantId, '--search', '🔑'.repeat(200)])).code, 0, 'counted in characters, not UTF-16 units');
    const missing = await world.run(['key', 'list', '--tenant', 'ten_nope']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'latchkey: No tenant ten_nope.\n');
  });

  it('writes control characters of a name stored before they were refused as escapes, never raw to the terminal', async (t) => {
    const world = cliWorld(t);
    const tenantId = await tenant(world);
    const key = await createKey(world, tenantId, '--name', 'plain');
    const services = await world.services();
    await services.database.db.updateTable('api_keys').set({ name: 'evil\u001b[31mRED\nnext' }).where('id', '=', key.key.id).execute();
    const run = await world.run(['key', 'list', '--tenant', tenantId]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(lines(run.stdout).length, 2, 'one header, one row');
    assert.match(run.stdout, /evil\\u001b\[31mRED\\u000anext/);
    assert.equal(run.stdout.includes('\u001b'), false);
    const shown = await world.run(['key', 'show', key.key.id]);
    assert.match(shown.stdout, /^Key key_\w+ \(evil\\u001b\[31mRED\nnext\)/, 'a line break stays one, an escape is written out');
  });

  it('shows one key by id, never its secret', async (t) => {
    const world = cliWorld(t);
    const tenantId = await tenant(world);
    const made = await createKey(world, tenantId, '--scope', 'sites:read');
    const run = await world.run(['key', 'show', made.key.id]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^Key ${made.key.id} \\(bot\\)`));
    assert.match(run.stdout, /last used: never/);
    assert.equal(run.stdout.includes(made.secret), false);
    const json = (await world.run(['key', 'show', made.key.id, '--json'])).json();
    assert.deepEqual(json, { ...made.key, updated_at: json.updated_at });
    const missing = await world.run(['key', 'show', 'key_nope', '--json']);
    assert.equal(missing.code, 1);
    assert.equal(missing.error().code, 'not_found');
  });
});

describe('latchkey key lifecycle by key id', () => {
  it('revokes a key found by id alone; a second revoke is harmless; a revoked key cannot be activated', async (t) => {
    const world = cliWorld(t);
    const tenantId = await tenant(world);
    const made = await createKey(world, tenantId);
    const run = await world.run(['key', 'revoke', made.key.id]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `Revoked key ${made.key.id} (bot). Running servers refuse it within 5 seconds.\n`);
    assert.equal((await world.run(['key', 'revoke', made.key.id, '--json'])).json().status, 'revoked');
    const activate = await world.run(['key', 'activate', made.key.id, '--json']);
    assert.equal(activate.code, 1);
    assert.equal(activate.error().code, 'conflict');
    const unknown = await world.run(['key', 'revoke', 'key_nope']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^latchkey: No key key_nope/);

    const services = await world.services();
    const verdict = await services.verifier.verify({ secret: made.secret, environment: 'production', ip: null, nowMs: Date.now() });
    assert.equal(verdict.ok ? 'valid' : verdict.code, 'revoked_api_key');
    const audit = await services.auditStore.list(tenantId, { limit: 10 }, { action: 'key.revoked' });
    assert.equal(audit.data.length, 1, 'one audit entry for the revoke');
  });

  it('rotates with a grace period: a new secret once, the old key working until the grace ends', async (t) => {
    const world = cliWorld(t);
    const tenantId = await tenant(world);
    const made = await createKey(world, tenantId, '--scope', 'sites:read', '--rpm', '50');
    const run = await world.run(['key', 'rotate', made.key.id, '--grace', '3600']);
    assert.equal(run.code, 0, run.stderr);
    const secret = /lk_live_[0-9A-Za-z]{38}/.exec(run.stdout)?.[0] ?? '';
    assert.notEqual(secret, made.secret);
    assert.match(run.stdout, new RegExp(`^Rotated ${made.key.id} into key key_\\w+ \\(bot\\)\\.`));
    assert.match(run.stdout, /will not be shown again/);
    assert.match(run.stdout, new RegExp(`The old key ${made.key.id} keeps working until \\d{4}-`));

    const again = await world.run(['key', 'rotate', made.key.id]);
    assert.equal(again.code, 1, 'a key rotates once: its successor is the one to rotate next');
    assert.match(again.stderr, /already rotated to key_\w+/);

    const other = await createKey(world, tenantId, '--scope', 'sites:read');
    const json = (await world.run(['key', 'rotate', other.key.id, '--grace', '3600', '--json'])).json();
    assert.deepEqual(Object.keys(json).sort(), ['key', 'previous', 'secret']);
    assert.equal(json.previous.id, other.key.id);
    assert.deepEqual(json.key.scopes, ['sites:read']);
    assert.equal(json.key.rotated_from, other.key.id);
    const grace = Date.parse(json.previous.expires_at) - Date.now();
    assert.ok(grace > 3500_000 && grace <= 3600_000, `old key ends with the grace period, ${grace} ms from now`);

    const tooLong = await world.run(['key', 'rotate', json.key.id, '--grace', '9007199254740991']);
    assert.equal(tooLong.code, 2, 'a usage error, before anything is made');
    assert.match(tooLong.stderr, /--grace.*at most 31536000/);
    const listed = (await world.run(['key', 'list', '--tenant', tenantId, '--json'])).json();
    assert.equal(listed.data.length, 4, 'two keys and their two successors, nothing more');
  });

  it('regenerates (old secret stops), deactivates and activates', async (t) => {
    const world = cliWorld(t);
    const tenantId = await tenant(world);
    const made = await createKey(world, tenantId);
    const regenerated = await world.run(['key', 'regenerate', made.key.id, '--json']);
    assert.equal(regenerated.code, 0, regenerated.stderr);
    const { key, secret } = regenerated.json();
    assert.equal(key.id, made.key.id);
    assert.notEqual(secret, made.secret);
    const services = await world.services();
    const old = await services.verifier.verify({ secret: made.secret, environment: 'production', ip: null, nowMs: Date.now() });
    assert.equal(old.ok ? 'valid' : old.code, 'invalid_api_key');

    const off = await world.run(['key', 'deactivate', made.key.id]);
    assert.equal(off.stdout, `Deactivated key ${made.key.id} (bot).\n`);
    assert.equal((await world.run(['key', 'show', made.key.id, '--json'])).json().status, 'inactive');
    const on = await world.run(['key', 'activate', made.key.id, '--json']);
    assert.equal(on.json().status, 'active');
  });
});

describe('latchkey key update', () => {
  it('changes only the settings given, lists become exactly what is given, --no-* empties them, and it is audited as the CLI', async (t) => {
    const world = cliWorld(t);
    const tenantId = await tenant(world, '--plan', 'pro');
    const made = await createKey(world, tenantId, '--scope', 'sites:read', '--allow-ip', '10.0.0.0/8', '--customer', 'cus_1', '--rpm', '200');

    const run = await world.run(['key', 'update', made.key.id, '--name', 'renamed', '--scope', 'orders:read', '--scope', 'orders:write', '--rpm', '500']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^Updated key ${made.key.id} \\(renamed\\): name, scopes, rate_limit\\. Running servers apply it within 5 seconds\\.\\n`));
    assert.match(run.stdout, /scopes: orders:read, orders:write; rate limit: 500 rpm, burst 500/);
    assert.match(run.stdout, /allowed IPs: 10\.0\.0\.0\/8; customers: cus_1/, 'what was not given stays');

    const cleared = (await world.run(['key', 'update', made.key.id, '--no-allow-ip', '--no-customer', '--no-scope', '--expires', 'never', '--json'])).json();
    assert.deepEqual([cleared.scopes, cleared.allowed_ips, cleared.customer_ids, cleared.expires_at], [[], [], [], null]);
    assert.equal(cleared.name, 'renamed');
    assert.equal('secret' in cleared, false);

    // A list negated and then given again holds only what follows.
    const again = (await world.run(['key', 'update', made.key.id, '--no-scope', '--scope', 'sites:read', '--json'])).json();
    assert.deepEqual(again.scopes, ['sites:read']);

    const same = await world.run(['key', 'update', made.key.id, '--name', 'renamed']);
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, new RegExp(`^Key ${made.key.id} \\(renamed\\) already had these settings; nothing changed\\.`));

    const services = await world.services();
    const updates = await services.auditStore.list(tenantId, { limit: 10 }, { action: 'key.updated' });
    assert.equal(updates.data.length, 3, 'one entry per update that changed something');
    assert.deepEqual(updates.data.map((e) => e.actor), Array(3).fill({ type: 'operator', id: 'cli' }));
  });

  it('is a usage error (exit 2) naming the option for a value the service refuses, or when nothing is given; unknown key is exit 1', async (t) => {
    const world = cliWorld(t);
    const tenantId = await tenant(world);
    const made = await createKey(world, tenantId);

    const nothing = await world.run(['key', 'update', made.key.id]);
    assert.equal(nothing.code, 2);
    assert.match(nothing.stderr, /Nothing to change: give --name, --scope, --no-scope/);

    const badScope = await world.run(['key', 'update', made.key.id, '--scope', 'BAD', '--json']);
    assert.equal(badScope.code, 2);
    assert.deepEqual(badScope.error().fields, [{ field: '--scope', message: '"BAD" is not a scope like "sites:read"' }]);

    const overPlan = await world.run(['key', 'update', made.key.id, '--rpm', '5000', '--json']);
    assert.equal(overPlan.code, 2);
    assert.equal(overPlan.error().fields?.[0]?.field, '--rpm');

    const badIp = await world.run(['key', 'update', made.key.id, '--allow-ip', '10.0.0.300']);
    assert.equal(badIp.code, 2);
    assert.match(badIp.stderr, /--allow-ip/);

    const pasted = await world.run(['key', 'update', made.key.id, '--name', `bot ${made.secret}`, '--json']);
    assert.equal(pasted.code, 2, 'a secret pasted as a name is refused');
    assert.equal(pasted.error().fields?.[0]?.field, '--name');
    assert.doesNotMatch(pasted.stderr, new RegExp(made.secret.slice(8)));

    const unknown = await world.run(['key', 'update', 'key_nope', '--name', 'x']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^latchkey: No key key_nope/);

    const revoked = await createKey(world, tenantId);
    await world.run(['key', 'revoke', revoked.key.id]);
    const late = await world.run(['key', 'update', revoked.key.id, '--name', 'x', '--json']);
    assert.equal(late.code, 1);
    assert.equal(late.error().code, 'conflict');
    assert.equal((await world.run(['key', 'show', made.key.id, '--json'])).json().name, 'bot', 'nothing refused was written');
  });
});
