// The Express middleware of the SDK in a real Express app, against a real Latchkey over HTTP.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import express, { type ErrorRequestHandler } from 'express';
import { LatchkeyClient, type LatchkeyUnavailableError } from '../../sdk/src/index.js';
import { type ExpressRequest, requireApiKey } from '../../sdk/src/express.js';
import { generateKey } from '../../src/core/key-format.js';
import { type Cleanup, createKey } from '../support/test-app.js';
import { closedPort, getWithTwoAuthorizations, startLatchkeyForSdk } from './latchkey-for-sdk.js';

interface Service {
  url: string;
  outages: LatchkeyUnavailableError[];
  errors: unknown[];
}

/** An Express service with one protected route per kind of requirement. */
async function startService(t: Cleanup, client: LatchkeyClient): Promise<Service> {
  const outages: LatchkeyUnavailableError[] = [];
  const errors: unknown[] = [];
  const app = express();
  const guard = (scopes: string[]) =>
    requireApiKey({ client, scopes, tenantId: (req) => req.params.tenantId, onUnavailable: (error) => void outages.push(error) });
  app.get('/tenants/:tenantId/orders', guard(['orders:read']), (req, res) => {
    res.json({ passed: true, identity: req.latchkey });
  });
  app.get('/tenants/:tenantId/any', guard([]), (_req, res) => {
    res.json({ passed: true });
  });
  app.post('/tenants/:tenantId/orders', guard(['orders:write']), (_req, res) => {
    res.json({ passed: true });
  });
  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    errors.push(error);
    res.status(500).json({ failed: true });
  };
  app.use(onError);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, outages, errors };
}

async function call(service: Service, path: string, headers: Record<string, string> = {}, method = 'GET') {
  const res = await fetch(`${service.url}${path}`, { method, headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe('the SDK: Express middleware', () => {
  it('passes a valid key with the rate-limit headers and the key on req.latchkey', async (t) => {
    const latchkey = await startLatchkeyForSdk(t);
    const service = await startService(t, latchkey.client);
    const res = await call(service, `/tenants/${latchkey.tenantId}/orders`, { 'x-api-key': latchkey.reader.secret });
    assert.equal(res.status, 200);
    assert.equal(res.body.passed, true);
    const identity = res.body.identity as Record<string, unknown>;
    assert.equal(identity.keyId, latchkey.reader.key.id);
    assert.equal(identity.tenantId, latchkey.tenantId);
    assert.equal(identity.environment, 'production');
    assert.deepEqual(identity.scopes, ['orders:read']);
    assert.match(String(identity.requestId), /^req_/);
    assert.equal(res.headers.get('x-ratelimit-limit'), '100');
    assert.equal(res.headers.get('x-ratelimit-remaining'), '99');
    assert.match(res.headers.get('x-ratelimit-reset') ?? '', /^\d{10}$/);
    assert.equal(res.headers.get('x-ratelimit-window'), '60');

    const bearer = await call(service, `/tenants/${latchkey.tenantId}/orders`, { authorization: `Bearer ${latchkey.reader.secret}` });
    assert.equal(bearer.status, 200, 'Authorization: Bearer works as X-API-Key does');
    assert.equal(bearer.headers.get('x-ratelimit-remaining'), '98', 'each request spends a token at Latchkey');
  });

  it('answers refusals as the M2M API does: status, code, details, request id and WWW-Authenticate', async (t) => {
    const latchkey = await startLatchkeyForSdk(t);
    const service = await startService(t, latchkey.client);
    const orders = `/tenants/${latchkey.tenantId}/orders`;

    const missing = await call(service, orders, { authorization: 'Basic dXNlcjpwYXNz' });
    assert.equal(missing.status, 401);
    assert.deepEqual({ ...missing.body, request_id: undefined }, {
      error: 'Unauthorized', code: 'missing_api_key', details: 'No API key was sent; send it in the X-API-Key header.', request_id: undefined,
    });
    assert.equal(missing.headers.get('x-request-id'), missing.body.request_id);
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="latchkey"');

    const revoked = await call(service, orders, { 'x-api-key': latchkey.revoked.secret });
    assert.equal(revoked.status, 401);
    assert.equal(revoked.body.code, 'revoked_api_key');
    assert.equal(revoked.headers.get('www-authenticate'), 'Bearer realm="latchkey", error="invalid_token", error_description="revoked_api_key"');
    assert.equal(revoked.headers.get('x-request-id'), revoked.body.request_id, "Latchkey's id of the verification");

    const malformed = await call(service, orders, { 'x-api-key': 'lk_live_short' });
    assert.equal(malformed.status, 401);
    assert.equal(malformed.body.code, 'malformed_api_key');

    const scope = await call(service, orders, { 'x-api-key': latchkey.reader.secret }, 'POST');
    assert.equal(scope.status, 403);
    assert.equal(scope.body.code, 'insufficient_scope');
    assert.match(String(scope.body.details), /orders:write/);
    assert.equal(scope.headers.get('x-ratelimit-limit'), '100', 'a key that got as far as its limit gets the headers');

    const otherTenant = await call(service, '/tenants/ten_someoneelse/orders', { 'x-api-key': latchkey.reader.secret });
    assert.equal(otherTenant.status, 404);
    assert.equal(otherTenant.body.code, 'not_found');
    const longTenant = await call(service, `/tenants/${'t'.repeat(1500)}/orders`, { 'x-api-key': latchkey.reader.secret });
    assert.equal(longTenant.status, 404, 'an id longer than Latchkey takes is still just another tenant');

    const twoKeys = await call(service, orders, { 'x-api-key': latchkey.reader.secret, authorization: `Bearer ${latchkey.limited.secret}` });
    assert.equal(twoKeys.status, 400);
    assert.equal(twoKeys.body.code, 'invalid_request');
    const twoAuthorizations = await getWithTwoAuthorizations(`${service.url}${orders}`, latchkey.reader.secret, latchkey.revoked.secret);
    assert.deepEqual([twoAuthorizations.status, twoAuthorizations.body.code, twoAuthorizations.body.details], [400, 'invalid_request', 'Send one Authorization header, not several.']);
    assert.deepEqual(twoAuthorizations.body.fields, [{ field: 'authorization', message: 'was sent more than once; send one' }]);

    const local = await call(service, `/tenants/${latchkey.tenantId}/any`, { 'x-api-key': latchkey.local.secret });
    assert.equal(local.status, 200, 'req.ip (127.0.0.1) reached Latchkey: the key allows only loopback');
    const fenced = await call(service, orders, { 'x-api-key': latchkey.fenced.secret });
    assert.equal(fenced.status, 403, 'the caller (127.0.0.1) is outside 10.0.0.0/8');
    assert.equal(fenced.body.code, 'ip_not_allowed');

    await latchkey.app.services.usageWriter.flush();
    const log = (await latchkey.app.root('GET', `/v1/tenants/${latchkey.tenantId}/request-logs?key_id=${latchkey.reader.key.id}`)).json().data as Record<string, unknown>[];
    const expected = [
      ['GET', '/tenants/ten_someoneelse/orders', 404, 'not_found'],
      ['GET', `/tenants/${'t'.repeat(1500)}/orders`, 404, 'not_found'],
      ['POST', orders, 403, 'insufficient_scope'],
    ];
    assert.deepEqual(log.map((row) => [row.method, row.path, row.status, row.code]).sort(), expected.sort(), "Latchkey's request log shows the service's requests, not the verify calls");
  });

  it('refuses a key in the query string without sending it to Latchkey', async (t) => {
    const latchkey = await startLatchkeyForSdk(t);
    const service = await startService(t, latchkey.client);
    const res = await call(service, `/tenants/${latchkey.tenantId}/orders?api_key=${latchkey.limited.secret}`, { 'x-api-key': latchkey.limited.secret });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'api_key_in_query');
    const after = await call(service, `/tenants/${latchkey.tenantId}/orders`, { 'x-api-key': latchkey.limited.secret });
    assert.equal(after.status, 403, 'the one token of the key was not spent (it lacks the scope, so 403, not 429)');
    assert.equal(after.body.code, 'insufficient_scope');
  });

  it('answers 429 with Retry-After once the key is over its limit', async (t) => {
    const latchkey = await startLatchkeyForSdk(t);
    const client = latchkey.client;
    const app = express();
    app.get('/ping', requireApiKey({ client }), (_req, res) => void res.json({ pong: true }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    t.after(() => new Promise((resolve) => server.close(resolve)));
    const service: Service = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, outages: [], errors: [] };
    assert.equal((await call(service, '/ping', { 'x-api-key': latchkey.limited.secret })).status, 200);
    const over = await call(service, '/ping', { 'x-api-key': latchkey.limited.secret });
    assert.equal(over.status, 429);
    assert.equal(over.body.code, 'rate_limited');
    assert.equal(over.headers.get('retry-after'), '60', 'one token a minute');
    assert.equal(over.headers.get('x-ratelimit-remaining'), '0');
  });

  it('answers 503 unavailable while Latchkey cannot be reached, and reports it', async (t) => {
    const client = new LatchkeyClient({ url: `http://127.0.0.1:${await closedPort()}`, token: 'any-token-0123456789abcdef' });
    const service = await startService(t, client);
    // Well-formed, with a right checksum: the SDK refuses anything else itself, without asking Latchkey.
    const key = generateKey('production');
    const res = await call(service, '/tenants/ten_x/orders', { 'x-api-key': key });
    assert.equal(res.status, 503);
    assert.equal(res.body.code, 'unavailable');
    assert.equal(res.headers.get('retry-after'), '5');
    assert.equal(service.outages.length, 1);
    assert.equal(service.outages[0]?.message, 'Latchkey could not be reached');
  });

  it("hands a set-up mistake (a wrong operator token) to Express's error handler as a 500, without the token or the key", async (t) => {
    const latchkey = await startLatchkeyForSdk(t);
    const token = 'wrong-root-token-0123456789abcdef';
    const service = await startService(t, new LatchkeyClient({ url: latchkey.url, token }));
    const res = await call(service, `/tenants/${latchkey.tenantId}/orders`, { 'x-api-key': latchkey.reader.secret });
    assert.equal(res.status, 500);
    assert.equal(service.errors.length, 1);
    const error = service.errors[0] as Error & { verifyStatus: number; verifyCode: string };
    assert.equal(error.name, 'LatchkeySetupError');
    assert.equal(error.verifyStatus, 401);
    assert.equal(error.verifyCode, 'unauthorized');
    assert.equal(error.message, 'Latchkey refused the verify call: 401 unauthorized (check the operator token)');

    // Express's own error handler takes an error's `status` for its answer: the client must not get a 401.
    const app = express();
    app.get('/ping', requireApiKey({ client: new LatchkeyClient({ url: latchkey.url, token }) }), (_req, res) => void res.json({}));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    t.after(() => new Promise((resolve) => server.close(resolve)));
    const plain = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/ping`, { headers: { 'x-api-key': latchkey.reader.secret } });
    assert.equal(plain.status, 500);
    const text = await plain.text();
    for (const secret of [token, latchkey.reader.secret]) assert.ok(!text.includes(secret));
  });

  it('answers a path parameter holding NUL as the M2M API would (not found), not as a set-up mistake', async (t) => {
    const latchkey = await startLatchkeyForSdk(t);
    const service = await startService(t, latchkey.client);
    const res = await call(service, '/tenants/%00/orders', { 'x-api-key': latchkey.reader.secret });
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'not_found');
    assert.deepEqual(service.errors, []);
  });

  it('lets nothing through on an answer that is not a verification (or a proxy\'s 429), and the service keeps running', async (t) => {
    const answers: unknown[] = [
      { status: 429, body: '{"error":"Too Many Requests"}' },
      { valid: true },
      { valid: false, code: 'revoked_api_key', key_id: null, tenant_id: null, environment: null, scopes: [], expires_at: null, rate_limit: null },
      '<html>maintenance</html>',
      { status: 404, body: '<html>Not Found</html>' },
      { status: 200, body: `{"valid":true,"pad":"${'x'.repeat(70_000)}"}` },
    ];
    let next = 0;
    const standIn = createServer((_req, res) => {
      const answer = answers[next++];
      if (typeof answer === 'object' && answer !== null && 'body' in answer) {
        const { status, body } = answer as { status: number; body: string };
        res.writeHead(status, { 'content-type': 'application/json' }).end(body);
        return;
      }
      res.writeHead(200, { 'content-type': typeof answer === 'string' ? 'text/html' : 'application/json' });
      res.end(typeof answer === 'string' ? answer : JSON.stringify(answer));
    });
    await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise((resolve) => standIn.close(resolve)));
    const client = new LatchkeyClient({ url: `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`, token: 'any-token-0123456789abcdef' });
    const service = await startService(t, client);
    const key = generateKey('production');
    for (let i = 0; i < answers.length; i++) {
      const res = await call(service, '/tenants/ten_x/orders', { 'x-api-key': key });
      assert.equal(res.status, 503, `answer ${i}`);
      assert.equal(res.body.code, 'unavailable');
    }
    assert.equal(service.outages.length, 6);
    assert.equal(service.outages[0]?.message, 'Latchkey could not decide (429 no error code)', 'a proxy shedding load');
    assert.match(service.outages[1]?.message ?? '', /not a verification/);
    assert.equal(service.outages[4]?.message, "the verify call was answered 404 without an error of Latchkey's (a proxy or load balancer in between?)", 'a load balancer\'s page');
    assert.equal(service.outages[5]?.message, "the verify call's answer is over 65536 bytes, which no answer of Latchkey's is");
    assert.deepEqual(service.errors, [], 'no set-up mistake: nothing of Latchkey\'s answered');
  });

  it('sends ids read from the request as the verify API takes them: a number as its digits, anything else that is no id as one that matches nothing (404), never a 500', async (t) => {
    const latchkey = await startLatchkeyForSdk(t);
    const { secret } = await createKey(latchkey.app, latchkey.tenantId, { name: 'customer 42', customer_ids: ['42'] });
    const errors: unknown[] = [];
    const app = express();
    app.post('/orders', express.json(), requireApiKey<ExpressRequest & { body?: { customer_id?: string; tenant_id?: string } }>({ client: latchkey.client, customerId: (req) => req.body?.customer_id, tenantId: (req) => req.body?.tenant_id ?? latchkey.tenantId }), (_req, res) => void res.json({ passed: true }));
    app.use(((error, _req, res, _next) => {
      errors.push(error);
      res.status(500).json({ failed: true });
    }) as ErrorRequestHandler);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    t.after(() => new Promise((resolve) => server.close(resolve)));
    const post = async (body: string, key = secret) => {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/orders`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body });
      return [res.status, ((await res.json()) as { code?: string }).code ?? 'passed'];
    };
    assert.deepEqual(await post('{"customer_id":42}'), [200, 'passed'], 'a number, as a parser makes it');
    assert.deepEqual(await post('{"customer_id":"42"}'), [200, 'passed']);
    for (const body of ['{"customer_id":43}', '{"customer_id":null}', '{"customer_id":["42"]}', '{"customer_id":{"id":"42"}}', '{"customer_id":"\\ud800"}', `{"customer_id":"${'4'.repeat(999)}\\ud83d\\ude00"}`, '{"tenant_id":7}', '{"tenant_id":"\\udfff"}']) {
      assert.deepEqual(await post(body), [404, 'not_found'], body);
    }
    assert.deepEqual(await post('{"customer_id":"\\ud800"}', `lk_live_${'A'.repeat(38)}`), [401, 'malformed_api_key'], 'a made-up key is refused before any call');
    assert.deepEqual(errors, []);
  });

  it('refuses a timeout that is no number of milliseconds when the client is made, not on every request', () => {
    for (const timeoutMs of [Number.NaN, 0, -5, 1.5, 2 ** 31]) {
      assert.throws(() => new LatchkeyClient({ url: 'http://127.0.0.1:1', token: 'any-token-0123456789abcdef', timeoutMs }), /`timeoutMs` must be a whole number of milliseconds/, String(timeoutMs));
    }
    assert.ok(new LatchkeyClient({ url: 'http://127.0.0.1:1', token: 'any-token-0123456789abcdef', timeoutMs: 500 }));
  });
});
