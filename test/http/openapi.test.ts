import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { LightMyRequestResponse } from 'fastify';
import { asUser, sessionCookie, startMailedApp } from '../support/sign-in.js';
import { createKey, createTenant, startTestApp, type TestApp } from '../support/test-app.js';

interface Response {
  description: string;
  headers?: Record<string, { $ref?: string }>;
}
interface Operation {
  operationId?: string;
  tags?: string[];
  responses: Record<string, Response>;
}
interface Document {
  info: { license?: { name: string; identifier?: string } };
  servers?: { url: string }[];
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { headers?: Record<string, { description?: string }> };
}

async function documentOf(app: TestApp): Promise<Document> {
  const res = await app.app.inject({ url: '/openapi.json' });
  assert.equal(res.statusCode, 200);
  return res.json() as Document;
}

function operations(doc: Document): [name: string, operation: Operation][] {
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]): [string, Operation] => [`${method} ${path}`, op]));
}

/** The names of the headers the document promises on one answer, each defined where its $ref points. */
function promisedHeaders(doc: Document, path: string, method: string, status: number | 'default'): string[] {
  const headers = doc.paths[path]?.[method]?.responses[String(status)]?.headers ?? {};
  for (const [name, header] of Object.entries(headers)) {
    if (header.$ref) assert.ok(doc.components.headers?.[header.$ref.replace('#/components/headers/', '')], `${name} points at a defined header`);
  }
  return Object.keys(headers);
}

/** Every header the document promises for the answer's status is on the answer. */
function assertKeepsPromise(doc: Document, path: string, method: string, res: LightMyRequestResponse): string[] {
  const promised = promisedHeaders(doc, path, method, res.statusCode);
  assert.ok(promised.length > 0, `${method} ${path} documents its ${res.statusCode}`);
  for (const name of promised) assert.ok(res.headers[name.toLowerCase()] !== undefined, `${method} ${path} ${res.statusCode} sends ${name}: ${JSON.stringify(res.headers)}`);
  return promised;
}

const RATE_LIMIT_HEADERS = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'X-RateLimit-Window', 'RateLimit-Policy', 'RateLimit'];

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document, and names every operation once for client generators', async (t) => {
    const app = await startTestApp(t);
    const doc = await documentOf(app);
    const validation = await new Validator().validate(doc as never);
    assert.deepEqual(validation, { valid: true });

    const names = operations(doc).map(([, op]) => op.operationId);
    assert.ok(names.every((name) => typeof name === 'string' && /^[a-z][A-Za-z0-9]*$/.test(name)), JSON.stringify(names));
    assert.equal(new Set(names).size, names.length, 'no two operations share a name');
    // Latchkey's own operations are named by their routes, not derived from the path.
    assert.equal(doc.paths['/v1/tenants/{tenantId}/keys']?.post?.operationId, 'createKey');
    assert.equal(doc.paths['/v1/tenants/{tenantId}/keys/{keyId}/rotate']?.post?.operationId, 'rotateKey');
    assert.equal(doc.paths['/v1/tenants/{tenantId}/keys/{keyId}/revoke']?.post?.operationId, 'revokeKey');
    assert.equal(doc.paths['/v1/keys/verify']?.post?.operationId, 'verifyKey');
    assert.equal(doc.paths['/api/v1/m2m/tenants/{tenantId}/limits']?.get?.operationId, 'getM2mLimits');

    // Every tag an operation uses is declared, with what it is about; and the document says its license and server.
    const declared = new Map((doc.tags ?? []).map((tag) => [tag.name, tag.description]));
    for (const [name, op] of operations(doc)) for (const tag of op.tags ?? []) assert.ok(declared.get(tag), `${name}: tag ${tag} is declared and described`);
    assert.deepEqual(doc.info.license, { name: 'MIT', identifier: 'MIT' });
    assert.deepEqual(doc.servers, [{ url: '/' }]);
  });

  it('describes every answer by its status, not with a placeholder', async (t) => {
    const app = await startTestApp(t);
    const doc = await documentOf(app);
    const vague: string[] = [];
    for (const [name, op] of operations(doc)) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (/Default Response|Every error answer/.test(response.description)) vague.push(`${name} ${status}: ${response.description}`);
      }
    }
    assert.deepEqual(vague, []);
    const limits = doc.paths['/api/v1/m2m/tenants/{tenantId}/limits']!.get!.responses;
    assert.equal(limits['200']?.description, 'OK');
    assert.match(limits['429']?.description ?? '', /^Too Many Requests: the error body/);
    assert.equal(doc.paths['/v1/tenants/{tenantId}/keys']!.post!.responses['201']?.description, 'Created');
  });

  it('names the configured public address as its server, without a slash that would double the paths', async (t) => {
    const app = await startTestApp(t, { LATCHKEY_PUBLIC_URL: 'https://keys.example.com/' });
    assert.deepEqual((await documentOf(app)).servers, [{ url: 'https://keys.example.com' }]);
  });

  it('promises the headers the M2M API sends, and the server sends them: rate limits once the key is good, WWW-Authenticate, Retry-After', async (t) => {
    const app = await startTestApp(t);
    const doc = await documentOf(app);
    const tenant = await createTenant(app);
    const other = await createTenant(app, { name: 'Other' });
    const { secret } = await createKey(app, tenant.id, { rate_limit: { requests_per_minute: 2 } });
    const path = '/api/v1/m2m/tenants/{tenantId}/limits';
    const ask = (tenantId: string, headers: Record<string, string> = { 'x-api-key': secret }) => app.app.inject({ url: `/api/v1/m2m/tenants/${tenantId}/limits`, headers });

    const ok = await ask(tenant.id);
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(assertKeepsPromise(doc, path, 'get', ok).sort(), ['X-Request-Id', ...RATE_LIMIT_HEADERS].sort());

    const elsewhere = await ask(other.id);
    assert.equal(elsewhere.statusCode, 404);
    assert.ok(assertKeepsPromise(doc, path, 'get', elsewhere).includes('X-RateLimit-Remaining'));

    await ask(tenant.id);
    const limited = await ask(tenant.id);
    assert.equal(limited.statusCode, 429);
    assert.ok(assertKeepsPromise(doc, path, 'get', limited).includes('Retry-After'));

    // No key, no bucket: the 401 promises, and sends, no rate-limit headers.
    const anonymous = await ask(tenant.id, {});
    assert.equal(anonymous.statusCode, 401);
    assert.deepEqual(assertKeepsPromise(doc, path, 'get', anonymous).sort(), ['WWW-Authenticate', 'X-Request-Id']);
    for (const name of RATE_LIMIT_HEADERS) assert.equal(anonymous.headers[name.toLowerCase()], undefined, name);
  });

  it('promises the headers of the management API, and the server sends them: request id, WWW-Authenticate, ETag, Retry-After', async (t) => {
    const app = await startTestApp(t);
    const doc = await documentOf(app);
    const tenant = await createTenant(app);
    const { key } = await createKey(app, tenant.id);

    const anonymous = await app.app.inject({ url: '/v1/tenants' });
    assert.equal(anonymous.statusCode, 401);
    assert.deepEqual(assertKeepsPromise(doc, '/v1/tenants', 'get', anonymous).sort(), ['WWW-Authenticate', 'X-Request-Id']);

    const read = await app.root('GET', `/v1/tenants/${tenant.id}/keys/${key.id}`);
    assert.equal(read.statusCode, 200);
    assert.deepEqual(assertKeepsPromise(doc, '/v1/tenants/{tenantId}/keys/{keyId}', 'get', read).sort(), ['ETag', 'X-Request-Id']);

    // The headers every answer shares are defined once, each with what it means.
    for (const name of ['X-Request-Id', 'Retry-After', 'WWW-Authenticate', ...RATE_LIMIT_HEADERS]) assert.ok(doc.components.headers?.[name]?.description, name);

    // Storage gone: every 503 says when to try again, /readyz's too.
    await app.services.database.close();
    for (const [path, res] of [['/v1/tenants', await app.root('GET', '/v1/tenants')], ['/readyz', await app.app.inject({ url: '/readyz' })]] as const) {
      assert.equal(res.statusCode, 503, path);
      assert.deepEqual(assertKeepsPromise(doc, path, 'get', res).sort(), ['Retry-After', 'X-Request-Id'], path);
    }
  });

  it('promises the session cookie on signing in and out, and the server sets it', async (t) => {
    const app = await startMailedApp(t, { LATCHKEY_ADMIN_EMAILS: 'ops@latchkey.example' });
    const doc = await documentOf(app);
    const sent = await app.app.inject({ method: 'POST', url: '/v1/auth/otp', payload: { email: 'ops@latchkey.example' } });
    assert.equal(sent.statusCode, 202);
    const code = await app.mail.code('ops@latchkey.example', 0);
    const verified = await app.app.inject({ method: 'POST', url: '/v1/auth/otp/verify', payload: { email: 'ops@latchkey.example', code } });
    assert.equal(verified.statusCode, 200, verified.body);
    assert.ok(assertKeepsPromise(doc, '/v1/auth/otp/verify', 'post', verified).includes('Set-Cookie'));
    const session = { cookie: sessionCookie(verified), csrf: (await app.app.inject({ url: '/v1/auth/me', headers: { cookie: sessionCookie(verified) } })).json().csrf_token as string };
    const out = await asUser(app, session)('POST', '/v1/auth/logout');
    assert.equal(out.statusCode, 204, out.body);
    assert.ok(assertKeepsPromise(doc, '/v1/auth/logout', 'post', out).includes('Set-Cookie'));
  });

  it("names a configured gateway route's operations from their method and path, and promises its rate-limit headers", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-openapi-'));
    const configFile = join(dir, 'latchkey.config.json');
    writeFileSync(configFile, JSON.stringify({
      routes: [
        { path: '/api/v1/m2m/tenants/:tenantId/customers/:customerId', methods: ['GET', 'PATCH'], scopes: { GET: ['customers:read'], PATCH: ['customers:write'] }, upstream: 'http://127.0.0.1:9' },
        // Two paths that differ only in characters a name drops: each operation still gets its own name.
        { path: '/api/v1/m2m/tenants/:tenantId/order-lines', methods: ['GET'], scopes: [], upstream: 'http://127.0.0.1:9' },
        { path: '/api/v1/m2m/tenants/:tenantId/order_lines', methods: ['GET'], scopes: [], upstream: 'http://127.0.0.1:9' },
      ],
    }));
    const app = await startTestApp(t, { LATCHKEY_CONFIG: configFile });
    const doc = await documentOf(app);
    assert.deepEqual(await new Validator().validate(doc as never), { valid: true });
    const customers = doc.paths['/api/v1/m2m/tenants/{tenantId}/customers/{customerId}'];
    assert.equal(customers?.get?.operationId, 'getTenantsTenantIdCustomersCustomerId');
    assert.equal(customers?.patch?.operationId, 'patchTenantsTenantIdCustomersCustomerId');
    const lines = [doc.paths['/api/v1/m2m/tenants/{tenantId}/order-lines']?.get?.operationId, doc.paths['/api/v1/m2m/tenants/{tenantId}/order_lines']?.get?.operationId];
    assert.deepEqual(lines.sort(), ['getTenantsTenantIdOrderLines', 'getTenantsTenantIdOrderLines2']);
    // The upstream's answer comes back with Latchkey's rate-limit headers, and so does its absence (503) once the key
    // passed: the upstream here listens nowhere.
    const customersPath = '/api/v1/m2m/tenants/{tenantId}/customers/{customerId}';
    for (const name of RATE_LIMIT_HEADERS) assert.ok(promisedHeaders(doc, customersPath, 'get', 'default').includes(name), name);
    const tenant = await createTenant(app);
    const { secret } = await createKey(app, tenant.id, { scopes: ['customers:read'] });
    const away = await app.machine(`/api/v1/m2m/tenants/${tenant.id}/customers/c1`, secret);
    assert.equal(away.statusCode, 503, away.body);
    assert.deepEqual(assertKeepsPromise(doc, customersPath, 'get', away).sort(), ['Retry-After', 'X-Request-Id', ...RATE_LIMIT_HEADERS].sort());
  });
});
