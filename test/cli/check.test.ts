import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { generateKey } from '../../src/core/key-format.js';
import { buildApp } from '../../src/http/app.js';
import { createLogger } from '../../src/logger.js';
import { buildServices } from '../../src/services.js';
import { articleFor } from '../../src/cli/commands/check.js';
import type { Cleanup } from '../support/test-app.js';
import { type CliRun, type CliWorld, cliWorld, lines } from './cli-harness.js';

/** A real server on the world's database, listening on a free port, seeing CLI changes through the change feed. */
async function startServer(t: Cleanup, world: CliWorld, env: Record<string, string> = {}): Promise<string> {
  const services = await buildServices(loadConfig({ ...world.env, ...env }), { logger: createLogger('silent') });
  const app = await buildApp(services);
  services.startBackgroundJobs();
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  t.after(async () => {
    await app.close();
    await services.close();
  });
  return url;
}

async function listening(t: Cleanup, server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function setUp(t: Cleanup, plan = 'standard') {
  const world = cliWorld(t);
  const tenantId = (await world.run(['tenant', 'create', '--name', 'Acme', '--plan', plan, '--json'])).json().id as string;
  const key = async (...args: string[]) => {
    const run = await world.run(['key', 'create', '--tenant', tenantId, '--name', 'order-bot', '--env', 'production', ...args, '--json']);
    assert.equal(run.code, 0, run.stderr);
    return run.json<{ key: { id: string; start: string; end: string }; secret: string }>();
  };
  return { world, tenantId, key };
}

/** A failed check: exit 1, one line on stderr with the status, code and explanation, and never the key. */
function assertRefused(run: CliRun, secret: string, status: number, code: string, explanation: RegExp): void {
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.equal(lines(run.stderr).length, 1, run.stderr);
  assert.match(run.stderr, new RegExp(`^latchkey: ${status} ${code}: `));
  assert.match(run.stderr, explanation);
  assert.equal((run.stdout + run.stderr).includes(secret), false, 'the key is never printed');
}

describe('latchkey check: a working key', () => {
  it('prints the tenant, plan, environment, key name, scopes and rate-limit figures, with only the key hint', async (t) => {
    const { world, tenantId, key } = await setUp(t, 'pro');
    const made = await key('--scope', 'orders:read', '--scope', 'orders:write', '--rpm', '300');
    const url = await startServer(t, world);
    const run = await world.run(['check', '--url', url, '--key', made.secret, '--tenant', tenantId]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    const out = lines(run.stdout);
    assert.equal(out[0], `OK: the key ${made.key.start}…${made.key.end} works for tenant ${tenantId}.`);
    assert.match(run.stdout, /plan:\s+pro\n/);
    assert.match(run.stdout, /environment:\s+production\n/);
    assert.match(run.stdout, new RegExp(`key:\\s+order-bot \\(${made.key.id}\\), expires \\d{4}-`));
    assert.match(run.stdout, /scopes:\s+orders:read, orders:write\n/);
    assert.match(run.stdout, /rate limit:\s+300 requests per 60 s; 299 left now, full again in \d+ s/);
    assert.equal(run.stdout.includes(made.secret), false);

    const json = await world.run(['check', '--url', `${url}/`, '--key', made.secret, '--tenant', tenantId, '--json']);
    assert.equal(json.code, 0, json.stderr);
    const body = json.json();
    assert.equal(body.ok, true);
    assert.equal(body.tenant_id, tenantId);
    assert.equal(body.plan, 'pro');
    assert.deepEqual(body.key.scopes, ['orders:read', 'orders:write']);
    assert.equal(body.rate_limit.limit, 300);
    assert.equal(json.stdout.includes(made.secret), false);

    const fromEnv = await world.run(['check', '--url', url, '--tenant', tenantId], { LATCHKEY_API_KEY: made.secret });
    assert.equal(fromEnv.code, 0, 'the key may come from LATCHKEY_API_KEY, out of ps and shell history');
    const none = await world.run(['check', '--url', url, '--tenant', tenantId]);
    assert.equal(none.code, 2);
    assert.equal(none.stderr, "latchkey: required option '--key <key>' not specified (or set LATCHKEY_API_KEY) (see latchkey check --help)\n");
  });
});

describe('latchkey check: every refusal explained in plain words', () => {
  it('explains revoked, inactive, expired, unknown and malformed keys', async (t) => {
    const { world, tenantId, key } = await setUp(t);
    const revoked = await key();
    const inactive = await key();
    const rotated = await key();
    await world.run(['key', 'revoke', revoked.key.id]);
    await world.run(['key', 'deactivate', inactive.key.id]);
    await world.run(['key', 'rotate', rotated.key.id, '--grace', '0']);
    const url = await startServer(t, world);
    const check = (secret: string) => world.run(['check', '--url', url, '--key', secret, '--tenant', tenantId]);

    assertRefused(await check(revoked.secret), revoked.secret, 401, 'revoked_api_key', /revoked and can never work again\. Create a new key/);
    assertRefused(await check(inactive.secret), inactive.secret, 401, 'inactive_api_key', /deactivated.*latchkey key activate/);
    assertRefused(await check(rotated.secret), rotated.secret, 401, 'expired_api_key', /past its expiry date, or past the grace period of a rotation/);
    const unknown = generateKey('production');
    assertRefused(await check(unknown), unknown, 401, 'invalid_api_key', /this server does not know it/);
    const cut = revoked.secret.slice(0, -3);
    const malformed = await check(cut);
    assertRefused(malformed, cut, 401, 'malformed_api_key', /cut off or mistyped/);
    assert.match(malformed.stdout, /Checked key a 43-character value that is not a valid Latchkey key for tenant/);
  });

  it('explains a wrong tenant id, a key of another environment, a suspended tenant, a plan without API access and a foreign IP', async (t) => {
    const { world, tenantId, key } = await setUp(t);
    const prod = await key();
    const staging = await key('--env', 'staging');
    const fenced = await key('--allow-ip', '10.0.0.0/8');
    const other = await setUp(t);
    const otherKey = await other.key();
    const url = await startServer(t, world);
    const check = (secret: string, tenant = tenantId) => world.run(['check', '--url', url, '--key', secret, '--tenant', tenant]);

    assertRefused(await check(prod.secret, 'ten_doesnotexist'), prod.secret, 404, 'not_found', /tenant id is wrong or the key belongs to another tenant\. Check --tenant/);
    // A page of the server pasted as --url: no route there, so the key was never checked (not a tenant mismatch).
    const page = await world.run(['check', '--url', `${url}/keys`, '--key', prod.secret, '--tenant', tenantId]);
    assertRefused(page, prod.secret, 404, 'not_found', /no route at \/keys\/api\/v1\/m2m\/tenants\/ten_\w+\/limits, so the key was not checked\. --url must be the server's base URL/);
    assert.match(page.stdout, new RegExp(`at ${url}/keys: refused\\.`), 'the URL as given, path included');
    assertRefused(await check(staging.secret), staging.secret, 401, 'wrong_environment', /another environment than the one this server serves/);
    assertRefused(await check(fenced.secret), fenced.secret, 403, 'ip_not_allowed', /not in the key's allowed IPs/);

    await world.run(['tenant', 'update', tenantId, '--status', 'suspended']);
    const suspended = await pollCheck(() => check(prod.secret), 'tenant_not_active');
    assertRefused(suspended, prod.secret, 403, 'tenant_not_active', /pending or suspended.*--status active/);
    await world.run(['tenant', 'update', tenantId, '--status', 'active', '--plan', 'free']);
    const free = await pollCheck(() => check(prod.secret), 'plan_not_permitted');
    assertRefused(free, prod.secret, 403, 'plan_not_permitted', /no machine-to-machine API access/);
    // The other world's key is unknown to this server's database.
    assertRefused(await check(otherKey.secret, other.tenantId), otherKey.secret, 401, 'invalid_api_key', /another Latchkey deployment or database/);
  });

  it('explains a rate limit with the Retry-After figure', async (t) => {
    const { world, tenantId, key } = await setUp(t);
    const slow = await key('--rpm', '1');
    const url = await startServer(t, world);
    const args = ['check', '--url', url, '--key', slow.secret, '--tenant', tenantId];
    assert.equal((await world.run(args)).code, 0);
    const limited = await world.run(args);
    assertRefused(limited, slow.secret, 429, 'rate_limited', /over its rate limit\. Wait .* Retry-After: \d+ s\./);
    const json = await world.run([...args, '--json']);
    assert.equal(json.code, 1);
    const body = json.json();
    assert.equal(body.ok, false);
    assert.equal(body.status, 429);
    assert.ok(body.retry_after >= 1);
    assert.match(body.request_id, /^req_/);
    assert.equal(json.error().code, 'rate_limited');
  });

  it('explains 503 unavailable when the server cannot reach Redis and fails closed', async (t) => {
    const { world, tenantId, key } = await setUp(t);
    const made = await key();
    // A just-freed port: nothing speaks Redis there.
    const url = await startServer(t, world, { LATCHKEY_REDIS_URL: `redis://127.0.0.1:${await freePort()}`, LATCHKEY_REDIS_FAILURE: 'closed' });
    const run = await world.run(['check', '--url', url, '--key', made.secret, '--tenant', tenantId]);
    assertRefused(run, made.secret, 503, 'unavailable', /database or Redis is unreachable\. Retry shortly/);
  });
});

describe('latchkey check: no answer, or not from Latchkey', () => {
  it('explains connection refused, an unknown host, and an answer from another service', async (t) => {
    const { world, tenantId } = await setUp(t);
    const secret = generateKey('production');
    const check = (url: string) => world.run(['check', '--url', url, '--key', secret, '--tenant', tenantId]);

    const refused = await check(`http://127.0.0.1:${await freePort()}`);
    assert.equal(refused.code, 1);
    assert.equal(lines(refused.stderr).length, 1);
    assert.match(refused.stderr, /^latchkey: Nothing is listening at http:\/\/127\.0\.0\.1:\d+ \(connection refused\)\. Is the server running/);

    const dns = await check('http://latchkey-check.invalid');
    assert.equal(dns.code, 1);
    assert.match(dns.stderr, /^latchkey: The host name latchkey-check\.invalid does not resolve/);

    const other = await listening(t, createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not here</h1>')));
    const foreign = await check(other);
    assert.equal(foreign.code, 1);
    assert.match(foreign.stderr, /^latchkey: 404 unexpected_response: The answer \(HTTP 404\) did not come from Latchkey's M2M API/);
    for (const run of [refused, dns, foreign]) assert.equal((run.stdout + run.stderr).includes(secret), false);

    const json = await world.run(['check', '--url', other, '--key', secret, '--tenant', tenantId, '--json']);
    assert.deepEqual(Object.keys(json.json()).sort(), ['code', 'details', 'explanation', 'ok', 'request_id', 'status']);
  });

  it('explains a server that does not answer within --timeout', async (t) => {
    const { world, tenantId } = await setUp(t);
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise((resolve) => silent.close(resolve)));
    const run = await world.run(['check', '--url', `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, '--key', generateKey('production'), '--tenant', tenantId, '--timeout', '1']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^latchkey: http:\/\/127\.0\.0\.1:\d+ did not answer in time\./);
  });

  it('refuses a key value a header cannot carry (two keys on two lines) without printing either', async (t) => {
    const { world, tenantId } = await setUp(t);
    const [first, second] = [generateKey('production'), generateKey('production')];
    const run = await world.run(['check', '--url', 'http://127.0.0.1:9', '--tenant', tenantId], { LATCHKEY_API_KEY: `${first}\n${second}` });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^latchkey: the key holds characters an HTTP header cannot carry/);
    for (const secret of [first, second]) assert.equal((run.stdout + run.stderr).includes(secret), false);
  });

  it('takes a key with a CR at its end (a CRLF file) as the key, and shows its hint', async (t) => {
    const { world, tenantId } = await setUp(t);
    const run = await world.run(['check', '--url', `http://127.0.0.1:${await freePort()}`, '--tenant', tenantId], { LATCHKEY_API_KEY: `${generateKey('production')}\r` });
    assert.match(run.stdout, /^Checked key lk_live_\w{4}…\w{4} for tenant/);
  });

  it('describes a value that is no key by its length, with the article that length is read with', async (t) => {
    const world = cliWorld(t);
    const url = `http://127.0.0.1:${await freePort()}`;
    const cases: [string, string][] = [['abcdefghijk', 'an 11-character'], ['abcdefgh', 'an 8-character'], ['abcdefghijkl', 'a 12-character'], ['abcdefghijklmnopqr', 'an 18-character']];
    for (const [value, words] of cases) {
      const run = await world.run(['check', '--url', url, '--key', value, '--tenant', 'ten_x']);
      assert.match(run.stdout, new RegExp(`^Checked key ${words} value that is not a valid Latchkey key for tenant`), run.stdout);
    }
    const read = (n: number) => `${articleFor(n)} ${n}`;
    assert.deepEqual([1, 8, 11, 18, 43, 80, 89, 100, 800, 8000, 11_000, 18_500, 1100].map(read),
      ['a 1', 'an 8', 'an 11', 'an 18', 'a 43', 'an 80', 'an 89', 'a 100', 'an 800', 'an 8000', 'an 11000', 'an 18500', 'a 1100']);
  });

  it('never prints a key given as the tenant id', async (t) => {
    const { world } = await setUp(t);
    const secret = generateKey('production');
    const run = await world.run(['check', '--url', `http://127.0.0.1:${await freePort()}`, '--key', secret, '--tenant', secret]);
    assert.equal(run.code, 1);
    assert.equal((run.stdout + run.stderr).includes(secret), false);
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A tenant change reaches the server's cache through the change feed within seconds: poll for it. */
async function pollCheck(run: () => Promise<CliRun>, code: string): Promise<CliRun> {
  const end = Date.now() + 5000;
  let last = await run();
  while (!last.stderr.includes(code) && Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await run();
  }
  return last;
}
