import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { opensslMissing, selfSignedCertificate } from '../support/certificates.js';
import { createKey, createTenant, startTestApp } from '../support/test-app.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A real upstream that records what it receives and answers with JSON. */
async function startUpstream(t: { after(fn: () => unknown): void }): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(201, { 'content-type': 'application/json', 'x-upstream': 'yes' });
      res.end(JSON.stringify({ upstream: true, url: req.url }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

async function gatewayApp(t: { after(fn: () => unknown): void }) {
  const upstream = await startUpstream(t);
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-gw-'));
  const configFile = join(dir, 'latchkey.config.json');
  writeFileSync(configFile, JSON.stringify({
    routes: [
      { path: '/api/v1/m2m/tenants/:tenantId/sites/:siteId/*', methods: ['GET', 'POST'], scopes: ['sites:read'], upstream: upstream.url },
      { path: '/api/v1/m2m/tenants/:tenantId/customers/:customerId', methods: ['GET', 'PATCH'], scopes: { GET: ['customers:read'], PATCH: ['customers:write'] }, upstream: upstream.url },
    ],
  }));
  const app = await startTestApp(t, { LATCHKEY_CONFIG: configFile });
  const tenant = await createTenant(app);
  return { app, tenant, upstream };
}

/** Sends `request` as written (no client normalizes its path) and returns the status line and body of the answer. */
function rawRequest(port: number, request: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString();
    });
    socket.on('error', reject);
    socket.on('end', () => resolve({ status: Number(answer.split(' ')[1]), body: answer.slice(answer.indexOf('\r\n\r\n') + 4) }));
  });
}

/** A Latchkey whose gateway has the one route given, a tenant and a key for it. */
async function routeApp(t: { after(fn: () => unknown): void }, route: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-gw-'));
  const configFile = join(dir, 'latchkey.config.json');
  writeFileSync(configFile, JSON.stringify({ routes: [route] }));
  const app = await startTestApp(t, { LATCHKEY_CONFIG: configFile });
  const tenant = await createTenant(app);
  const { secret } = await createKey(app, tenant.id);
  return { app, tenant, secret };
}

describe('gateway', () => {
  it('documents each route in the OpenAPI document: key, scopes per method, refusals, and not its upstream', async (t) => {
    const { app, upstream } = await gatewayApp(t);
    const res = await app.app.inject({ url: '/openapi.json' });
    const doc = res.json();
    const customers = doc.paths['/api/v1/m2m/tenants/{tenantId}/customers/{customerId}'];
    assert.ok(customers?.get && customers.patch);
    assert.deepEqual(customers.get.security, [{ apiKey: [] }, { bearerKey: [] }]);
    assert.deepEqual(customers.get.parameters.map((p: { name: string }) => p.name).sort(), ['customerId', 'tenantId']);
    assert.match(customers.patch.description, /GET: customers:read; PATCH: customers:write/);
    assert.deepEqual(Object.keys(customers.get.responses).sort(), ['400', '401', '403', '404', '415', '429', '503', 'default']);
    const sites = doc.paths['/api/v1/m2m/tenants/{tenantId}/sites/{siteId}/{*}'];
    assert.deepEqual(sites?.post?.parameters.map((p: { name: string }) => p.name).sort(), ['*', 'siteId', 'tenantId'], 'every templated part of the path is a parameter');
    assert.equal(res.body.includes(upstream.url), false, 'the upstream address stays private');
  });

  it('proxies an accepted request without the key, with the identity headers, and logs it', async (t) => {
    const { app, tenant, upstream } = await gatewayApp(t);
    const { key, secret } = await createKey(app, tenant.id, { scopes: ['sites:read', 'orders:read'] });
    const res = await app.app.inject({
      url: `/api/v1/m2m/tenants/${tenant.id}/sites/s1/pages?lang=en`,
      headers: { 'x-api-key': secret, 'x-latchkey-tenant-id': 'ten_spoofed', accept: 'application/json' },
    });
    assert.equal(res.statusCode, 201);
    assert.equal(res.headers['x-upstream'], 'yes');
    assert.ok(res.headers['x-ratelimit-remaining'], 'rate-limit headers on proxied answers');
    const [got] = upstream.seen;
    assert.ok(got);
    assert.equal(got.url, `/api/v1/m2m/tenants/${tenant.id}/sites/s1/pages?lang=en`);
    assert.equal(got.headers['x-api-key'], undefined);
    assert.equal(got.headers['x-latchkey-tenant-id'], tenant.id);
    assert.equal(got.headers['x-latchkey-key-id'], key.id);
    assert.equal(got.headers['x-latchkey-scopes'], 'sites:read orders:read');
    assert.equal(got.headers['x-latchkey-environment'], 'production');
    await app.services.usageWriter.flush();
    const logs = await app.services.database.db.selectFrom('request_logs').selectAll().execute();
    assert.equal(logs.length, 1);
    assert.equal(logs[0]!.status, 201);
    assert.equal(logs[0]!.path, `/api/v1/m2m/tenants/${tenant.id}/sites/s1/pages`);
  });

  it('strips a key sent as Authorization: Bearer', async (t) => {
    const { app, tenant, upstream } = await gatewayApp(t);
    const { secret } = await createKey(app, tenant.id, { scopes: ['sites:read'] });
    const res = await app.app.inject({ url: `/api/v1/m2m/tenants/${tenant.id}/sites/s1/x`, headers: { authorization: `Bearer ${secret}` } });
    assert.equal(res.statusCode, 201);
    assert.equal(upstream.seen[0]!.headers.authorization, undefined);
  });

  it('streams a multipart upload through unchanged', async (t) => {
    const { app, tenant, upstream } = await gatewayApp(t);
    const { secret } = await createKey(app, tenant.id, { scopes: ['sites:read'] });
    const boundary = '----latchkeyboundary';
    const file = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="upload"; filename="blob.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await app.app.inject({
      method: 'POST',
      url: `/api/v1/m2m/tenants/${tenant.id}/sites/s1/upload`,
      // curl sends Expect: 100-continue with uploads over 1 MiB: a hop-by-hop header, not forwarded.
      headers: { 'x-api-key': secret, 'content-type': `multipart/form-data; boundary=${boundary}`, expect: '100-continue', 'keep-alive': 'timeout=5' },
      payload: body,
    });
    assert.equal(res.statusCode, 201);
    assert.equal(upstream.seen[0]!.headers['content-type'], `multipart/form-data; boundary=${boundary}`);
    assert.equal(upstream.seen[0]!.headers.expect, undefined);
    assert.equal(upstream.seen[0]!.headers['keep-alive'], undefined);
    assert.ok(upstream.seen[0]!.body.equals(body), 'the upstream received the same bytes');
  });

  it('refuses before proxying: missing scope 403, other tenant 404, customer outside customer_ids 404, bad key 401', async (t) => {
    const { app, tenant, upstream } = await gatewayApp(t);
    const reader = await createKey(app, tenant.id, { scopes: ['customers:read'], customer_ids: ['cus_1'] });
    const customer = (id: string, method = 'GET') => app.app.inject({ method: method as 'GET', url: `/api/v1/m2m/tenants/${tenant.id}/customers/${id}`, headers: { 'x-api-key': reader.secret } });
    assert.equal((await customer('cus_1')).statusCode, 201);
    const write = await customer('cus_1', 'PATCH');
    assert.equal(write.statusCode, 403);
    assert.equal(write.json().code, 'insufficient_scope');
    assert.match(write.json().details, /customers:write/);
    assert.equal((await customer('cus_2')).json().code, 'not_found');
    const other = await createTenant(app);
    const wrongTenant = await app.app.inject({ url: `/api/v1/m2m/tenants/${other.id}/customers/cus_1`, headers: { 'x-api-key': reader.secret } });
    assert.equal(wrongTenant.json().code, 'not_found');
    const none = await app.app.inject({ url: `/api/v1/m2m/tenants/${tenant.id}/customers/cus_1` });
    assert.equal(none.json().code, 'missing_api_key');
    assert.equal(upstream.seen.length, 1, 'only the accepted request reached the upstream');
  });

  it('refuses a path the upstream would read as another one (backslashes, dot segments, raw or escaped) before checking the key', async (t) => {
    const { app, tenant, upstream } = await gatewayApp(t);
    const other = await createTenant(app);
    const { secret } = await createKey(app, tenant.id, { scopes: ['sites:read'] });
    await app.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.app.server.address() as AddressInfo;
    const site = `/api/v1/m2m/tenants/${tenant.id}/sites/s1`;
    const paths = [
      // Resolved by the proxy's URL parser to /api/v1/m2m/tenants/<other>/customers/c9: another tenant, another scope.
      `${site}/x\\..\\..\\..\\..\\..\\tenants\\${other.id}\\customers\\c9`,
      `${site}/x\\..\\..\\..\\..\\..\\..\\..\\..\\admin?x=1`,
      `${site}/x%5c..%5c..%5c${other.id}/customers/c9`,
      `${site}/x/../../../${other.id}/customers/c9`,
      `${site}/x/%2e%2e/%2E%2e/${other.id}/customers/c9`,
      `${site}/./pages`,
      `${site}/x/..;/..;/..;/${other.id}/customers/c9`,
      `${site}/x%2F..%2F..%2F..%2F${other.id}%2Fcustomers%2Fc9`,
      `${site}/x/..`,
    ];
    for (const path of paths) {
      const answer = await rawRequest(port, `GET ${path} HTTP/1.1\r\nHost: x\r\nX-API-Key: ${secret}\r\nConnection: close\r\n\r\n`);
      assert.equal(answer.status, 400, path);
      assert.equal((JSON.parse(answer.body) as { code: string }).code, 'invalid_request', path);
    }
    // An absolute-form target would be appended to the upstream's address.
    const absolute = await rawRequest(port, `GET http://evil.example${site}/pages HTTP/1.1\r\nHost: x\r\nX-API-Key: ${secret}\r\nConnection: close\r\n\r\n`);
    assert.equal(absolute.status, 400);
    assert.equal(upstream.seen.length, 0, 'nothing reached the upstream');
    const fine = await rawRequest(port, `GET ${site}/pages..v2/a.b HTTP/1.1\r\nHost: x\r\nX-API-Key: ${secret}\r\nConnection: close\r\n\r\n`);
    assert.equal(fine.status, 201, 'dots inside a segment are just characters');
    assert.equal(upstream.seen[0]!.url, `${site}/pages..v2/a.b`);
  });

  it("passes on no cookie, no key in any header, no client-made X-Forwarded-*, and no upstream cookie named like Latchkey's session", async (t) => {
    const seen: IncomingHttpHeaders[] = [];
    const upstream = createServer((req, res) => {
      seen.push(req.headers);
      // Browsers trim a cookie's name, and send a nameless one back as its value: all three would set Latchkey's session.
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['latchkey_session=planted; Path=/', 'latchkey_session =planted; Path=/', '=latchkey_session=planted; Path=/', 'upstream_pref=dark; Path=/'] });
      res.end('{}');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise((resolve) => upstream.close(resolve)));
    const { app, tenant, secret } = await routeApp(t, { path: '/api/v1/m2m/tenants/:tenantId/things', methods: ['GET'], upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` });
    const url = `/api/v1/m2m/tenants/${tenant.id}/things`;
    const res = await app.app.inject({
      url,
      headers: {
        'x-api-key': secret, authorization: `Bearer\t${secret}`, cookie: 'latchkey_session=victim', 'x-forwarded-for': '6.6.6.6', forwarded: 'for=6.6.6.6',
        'x-forwarded-host': 'evil.example', 'x-real-ip': '6.6.6.6', 'true-client-ip': '6.6.6.6', 'x-original-url': '/admin',
      },
    });
    assert.equal(res.statusCode, 200);
    const [got] = seen;
    assert.ok(got);
    for (const name of ['cookie', 'authorization', 'x-api-key', 'forwarded', 'x-forwarded-host', 'x-real-ip', 'true-client-ip', 'x-original-url']) assert.equal(got[name], undefined, name);
    assert.equal(got['x-forwarded-for'], '127.0.0.1', 'the address Latchkey saw');
    assert.deepEqual(res.headers['set-cookie'], ['upstream_pref=dark; Path=/']);
    // The upstream's own credentials pass: only a key is taken out, Basic credentials holding one too (`curl -u key:`).
    await app.app.inject({ url, headers: { 'x-api-key': secret, authorization: `Basic ${Buffer.from(`${secret}:`).toString('base64')}` } });
    assert.equal(seen[1]!.authorization, undefined);
    await app.app.inject({ url, headers: { 'x-api-key': secret, authorization: 'Basic dXNlcjpwYXNz' } });
    assert.equal(seen[2]!.authorization, 'Basic dXNlcjpwYXNz');
  });

  it('drops identity, forwarding and key headers spelled with underscores, which CGI-style upstreams read as the same header', async (t) => {
    const seen: IncomingHttpHeaders[] = [];
    const upstream = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise((resolve) => upstream.close(resolve)));
    const { app, tenant, secret } = await routeApp(t, { path: '/api/v1/m2m/tenants/:tenantId/things', methods: ['GET'], upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` });
    const res = await app.app.inject({
      url: `/api/v1/m2m/tenants/${tenant.id}/things`,
      headers: {
        'x-api-key': secret, x_latchkey_tenant_id: 'ten_spoofed', 'x-latchkey_scopes': 'admin:all', x_forwarded_for: '6.6.6.6', x_real_ip: '6.6.6.6',
        x_api_key: secret, 'x-custom_header': 'kept',
      },
    });
    assert.equal(res.statusCode, 200);
    const [got] = seen;
    assert.ok(got);
    const names = Object.keys(got);
    assert.deepEqual(names.filter((n) => n.includes('_')), ['x-custom_header'], 'only the harmless underscore header passes');
    assert.equal(got['x-custom_header'], 'kept');
    assert.equal(got['x-latchkey-tenant-id'], tenant.id);
    assert.equal(got['x-latchkey-scopes'], '');
    assert.equal(got['x-forwarded-for'], '127.0.0.1');
    assert.doesNotMatch(JSON.stringify(got), new RegExp(secret));
  });

  it('HEAD needs the scopes of GET', async (t) => {
    const { app, tenant, upstream } = await gatewayApp(t);
    const writer = await createKey(app, tenant.id, { scopes: ['customers:write'] });
    const res = await app.app.inject({ method: 'HEAD', url: `/api/v1/m2m/tenants/${tenant.id}/customers/cus_1`, headers: { 'x-api-key': writer.secret } });
    assert.equal(res.statusCode, 403);
    assert.equal(upstream.seen.length, 0);
  });

  it('refuses an HTTPS upstream whose certificate is not trusted (503), sending it nothing', { skip: opensslMissing() }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-gw-tls-'));
    const { key, cert } = selfSignedCertificate(dir);
    const received: string[] = [];
    const upstream = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
      received.push(req.url ?? '');
      res.end('{}');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise((resolve) => upstream.close(resolve)));
    const app = await routeApp(t, { path: '/api/v1/m2m/tenants/:tenantId/tls', methods: ['GET'], upstream: `https://127.0.0.1:${(upstream.address() as AddressInfo).port}` });
    const res = await app.app.machine(`/api/v1/m2m/tenants/${app.tenant.id}/tls`, app.secret);
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().code, 'unavailable');
    assert.deepEqual(received, [], 'no request reached a server that could not prove who it is');
  });

  // The test's own limit only stops a hang: without the route's timeout, undici would wait 300 s.
  it("gives up on an upstream that does not answer within the route's timeoutSeconds (503)", { timeout: 30_000 }, async (t) => {
    const held: ServerResponse[] = [];
    const upstream = createServer((_req, res) => void held.push(res));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    t.after(() => {
      for (const res of held) res.destroy();
      return new Promise((resolve) => upstream.close(resolve));
    });
    const app = await routeApp(t, { path: '/api/v1/m2m/tenants/:tenantId/slow', methods: ['GET'], upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, timeoutSeconds: 1 });
    const res = await app.app.machine(`/api/v1/m2m/tenants/${app.tenant.id}/slow`, app.secret);
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().code, 'unavailable');
    assert.equal(held.length, 1, 'the upstream got the request and never answered');
  });

  it('answers 503 unavailable when the upstream is down', async (t) => {
    const { app, tenant, secret } = await routeApp(t, { path: '/api/v1/m2m/tenants/:tenantId/down', methods: ['GET'], upstream: 'http://127.0.0.1:1' });
    const res = await app.machine(`/api/v1/m2m/tenants/${tenant.id}/down`, secret);
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().code, 'unavailable');
    assert.equal(res.headers['retry-after'], '5');
  });
});
