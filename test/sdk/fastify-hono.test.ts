// The Fastify hook and the Hono middleware of the SDK in real apps, against a real Latchkey over HTTP.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { requireApiKey as fastifyGuard } from '../../sdk/src/fastify.js';
import { requireApiKey as honoGuard } from '../../sdk/src/hono.js';
import { type KeyIdentity, LatchkeyClient } from '../../sdk/src/index.js';
import { generateKey } from '../../src/core/key-format.js';
import type { Cleanup } from '../support/test-app.js';
import { closedPort, getWithTwoAuthorizations, startLatchkeyForSdk } from './latchkey-for-sdk.js';

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

async function startFastify(t: Cleanup, client: LatchkeyClient, logLines: string[] = []): Promise<string> {
  const app = Fastify({ logger: { level: 'warn', stream: { write: (line: string) => void logLines.push(line) } } });
  app.decorateRequest('latchkey', undefined);
  app.get('/tenants/:tenantId/orders', {
    preHandler: fastifyGuard({ client, scopes: ['orders:read'], tenantId: (request) => (request.params as { tenantId: string }).tenantId }),
  }, async (request) => ({ passed: true, identity: request.latchkey }));
  t.after(() => app.close());
  return app.listen({ port: 0, host: '127.0.0.1' });
}

/** The Latchkey a client talks to: its /healthz stands in for an upstream the handler fetches. */
const latchkeyUrlOf = (client: LatchkeyClient) => new URL((client as unknown as { endpoint: string }).endpoint).origin;

async function startHono(t: Cleanup, client: LatchkeyClient): Promise<string> {
  const app = new Hono<{ Variables: { latchkey: KeyIdentity } }>();
  app.get('/tenants/:tenantId/orders', honoGuard({ client, scopes: ['orders:read'], tenantId: (c) => c.req.param('tenantId') }), (c) =>
    c.json({ passed: true, identity: c.get('latchkey') }));
  app.get('/tenants/:tenantId/any', honoGuard({ client }), (c) => c.json({ passed: true }));
  // Answers the handler makes itself, as a gateway does: a Response of its own, and one fetched (headers immutable).
  app.get('/tenants/:tenantId/raw', honoGuard({ client }), () => new Response('{"passed":true}', { headers: { 'content-type': 'application/json' } }));
  app.get('/tenants/:tenantId/fetched', honoGuard({ client }), () => fetch(`${client === undefined ? '' : latchkeyUrlOf(client)}/healthz`));
  app.onError((error, c) => c.json({ failed: error.name }, 500));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the SDK: Fastify hook', () => {
  it('passes a valid key, refuses the rest as the M2M API does, and logs an outage on request.log', async (t) => {
    const latchkey = await startLatchkeyForSdk(t);
    const url = await startFastify(t, latchkey.client);
    const ok = await get(`${url}/tenants/${latchkey.tenantId}/orders`, { 'x-api-key': latchkey.reader.secret });
    assert.equal(ok.status, 200);
    assert.equal((ok.body.identity as KeyIdentity).keyId, latchkey.reader.key.id);
    assert.equal(ok.headers.get('x-ratelimit-remaining'), '99');

    const revoked = await get(`${url}/tenants/${latchkey.tenantId}/orders`, { 'x-api-key': latchkey.revoked.secret });
    assert.equal(revoked.status, 401);
    assert.equal(revoked.body.code, 'revoked_api_key');
    assert.equal(revoked.body.error, 'Unauthorized');
    assert.match(revoked.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    const other = await get(`${url}/tenants/ten_other/orders`, { 'x-api-key': latchkey.reader.secret });
    assert.equal(other.status, 404);
    const limitedUrl = `${url}/tenants/${latchkey.tenantId}/orders`;
    assert.equal((await get(limitedUrl, { 'x-api-key': latchkey.limited.secret })).body.code, 'insufficient_scope');
    const twoAuthorizations = await getWithTwoAuthorizations(limitedUrl, latchkey.reader.secret, latchkey.revoked.secret);
    assert.deepEqual([twoAuthorizations.status, twoAuthorizations.body.code, twoAuthorizations.body.details], [400, 'invalid_request', 'Send one Authorization header, not several.']);
    assert.deepEqual(twoAuthorizations.body.fields, [{ field: 'authorization', message: 'was sent more than once; send one' }]);

    const lines: string[] = [];
    const down = await startFastify(t, new LatchkeyClient({ url: `http://127.0.0.1:${await closedPort()}`, token: 'any-token-0123456789abcdef' }), lines);
    const key = generateKey('production');
    for (let i = 0; i < 3; i++) {
      const res = await get(`${down}/tenants/ten_x/orders`, { 'x-api-key': key });
      assert.equal(res.status, 503);
      assert.equal(res.body.code, 'unavailable');
    }
    const warnings = lines.filter((line) => line.includes('latchkey: Latchkey could not be reached'));
    assert.equal(warnings.length, 1, 'one line for three refusals in a row');
    assert.ok(!lines.join('').includes(key), 'the key is never logged');
  });

  it('answers a set-up mistake with 500 (not the 401 Latchkey gave the service), and reports outages on the console without a logger', async (t) => {
    const latchkey = await startLatchkeyForSdk(t);
    const app = Fastify();
    app.get('/ping', { preHandler: fastifyGuard({ client: new LatchkeyClient({ url: latchkey.url, token: 'wrong-root-token-0123456789abcdef' }) }) }, async () => ({}));
    const down = new LatchkeyClient({ url: `http://127.0.0.1:${await closedPort()}`, token: 'any-token-0123456789abcdef' });
    app.get('/down', { preHandler: fastifyGuard({ client: down }) }, async () => ({}));
    t.after(() => app.close());
    const setUp = await app.inject({ url: '/ping', headers: { 'x-api-key': latchkey.reader.secret } });
    assert.equal(setUp.statusCode, 500);
    assert.ok(!setUp.body.includes(latchkey.reader.secret));

    const warn = t.mock.method(console, 'warn', () => undefined);
    const res = await app.inject({ url: '/down', headers: { 'x-api-key': latchkey.reader.secret } });
    assert.equal(res.statusCode, 503);
    assert.deepEqual(warn.mock.calls.map((call) => call.arguments[0]), ['latchkey: Latchkey could not be reached; requests are answered 503 unavailable until it answers']);
  });
});

describe('the SDK: Hono middleware', () => {
  it('passes a valid key with the socket address (@hono/node-server), refuses the rest as the M2M API does', async (t) => {
    const latchkey = await startLatchkeyForSdk(t);
    const url = await startHono(t, latchkey.client);
    const orders = `${url}/tenants/${latchkey.tenantId}/orders`;
    const ok = await get(orders, { authorization: `Bearer ${latchkey.reader.secret}` });
    assert.equal(ok.status, 200);
    assert.equal((ok.body.identity as KeyIdentity).tenantId, latchkey.tenantId);
    assert.equal(ok.headers.get('x-ratelimit-limit'), '100');
    for (const route of ['raw', 'fetched']) {
      const own = await get(`${url}/tenants/${latchkey.tenantId}/${route}`, { 'x-api-key': latchkey.reader.secret });
      assert.equal(own.status, 200, route);
      assert.equal(own.headers.get('x-ratelimit-limit'), '100', `${route}: the rate-limit headers are on a Response the handler returns itself`);
      assert.match(own.headers.get('x-ratelimit-remaining') ?? '', /^\d+$/, route);
    }

    const local = await get(`${url}/tenants/${latchkey.tenantId}/any`, { 'x-api-key': latchkey.local.secret });
    assert.equal(local.status, 200, 'the socket address (127.0.0.1) reached Latchkey: the key allows only loopback');
    const fenced = await get(orders, { 'x-api-key': latchkey.fenced.secret });
    assert.equal(fenced.status, 403, 'and 127.0.0.1 is outside 10.0.0.0/8');
    assert.equal(fenced.body.code, 'ip_not_allowed');
    const missing = await get(orders);
    assert.equal(missing.status, 401);
    assert.equal(missing.body.code, 'missing_api_key');
    assert.equal(missing.headers.get('x-request-id'), missing.body.request_id);
    const inQuery = await get(`${orders}?token=${latchkey.reader.secret}`, { 'x-api-key': latchkey.reader.secret });
    assert.equal(inQuery.status, 400);
    assert.equal(inQuery.body.code, 'api_key_in_query');
    const other = await get(`${url}/tenants/ten_other/orders?page=2`, { 'x-api-key': latchkey.reader.secret });
    assert.equal(other.status, 404);
    await latchkey.app.services.usageWriter.flush();
    const log = (await latchkey.app.root('GET', `/v1/tenants/${latchkey.tenantId}/request-logs?key_id=${latchkey.reader.key.id}`)).json().data as Record<string, unknown>[];
    const expected = [
      ['GET', `/tenants/${latchkey.tenantId}/orders`, 200],
      ['GET', `/tenants/${latchkey.tenantId}/raw`, 200],
      ['GET', `/tenants/${latchkey.tenantId}/fetched`, 200],
      ['GET', '/tenants/ten_other/orders', 404],
    ];
    assert.deepEqual(log.map((row) => [row.method, row.path, row.status]).sort(), expected.sort(), 'the path of the whole URL Hono gives, without its query string');

    const twice = await fetch(orders, { headers: [['x-api-key', latchkey.reader.secret], ['x-api-key', latchkey.reader.secret]] });
    assert.equal(twice.status, 400, 'X-API-Key sent twice');
    assert.equal(((await twice.json()) as { code: string }).code, 'invalid_request');
    const twoAuthorizations = await getWithTwoAuthorizations(orders, latchkey.reader.secret, latchkey.revoked.secret);
    assert.deepEqual([twoAuthorizations.status, twoAuthorizations.body.code, twoAuthorizations.body.details], [400, 'invalid_request', 'Send one Authorization header, not several.']);
    assert.deepEqual(twoAuthorizations.body.fields, [{ field: 'authorization', message: 'was sent more than once; send one' }]);

    const wrongToken = await startHono(t, new LatchkeyClient({ url: latchkey.url, token: 'wrong-root-token-0123456789abcdef' }));
    const setUp = await get(`${wrongToken}/tenants/${latchkey.tenantId}/orders`, { 'x-api-key': latchkey.reader.secret });
    assert.deepEqual([setUp.status, setUp.body], [500, { failed: 'LatchkeySetupError' }], "to Hono's onError");
  });
});
