import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { generateKey } from '../../src/core/key-format.js';
import { createTenant, ROOT_TOKEN, startTestApp } from '../support/test-app.js';

function assertErrorShape(body: Record<string, unknown>, status: string, code: string): void {
  assert.equal(body.error, status);
  assert.equal(body.code, code);
  assert.equal(typeof body.details, 'string');
  assert.ok((body.details as string).length > 0);
  assert.match(String(body.request_id), /^req_/);
}

describe('error answers', () => {
  it('answers an unknown route with 404 not_found in the contract shape and a request id header', async (t) => {
    const app = await startTestApp(t);
    const res = await app.app.inject({ method: 'GET', url: '/v1/nothing-here' });
    assert.equal(res.statusCode, 404);
    assertErrorShape(res.json(), 'Not Found', 'not_found');
    assert.equal(res.headers['x-request-id'], res.json().request_id);
  });

  it('does not echo the request path into the error body', async (t) => {
    const app = await startTestApp(t);
    const res = await app.app.inject({ method: 'GET', url: '/v1/lk_live_somethingsecret' });
    assert.equal(res.statusCode, 404);
    assert.doesNotMatch(res.body, /somethingsecret/);
  });

  it('puts a distinct X-Request-Id on every response', async (t) => {
    const app = await startTestApp(t);
    const a = await app.app.inject({ method: 'GET', url: '/healthz' });
    const b = await app.app.inject({ method: 'GET', url: '/healthz' });
    assert.match(String(a.headers['x-request-id']), /^req_\w+$/);
    assert.notEqual(a.headers['x-request-id'], b.headers['x-request-id']);
  });

  it('answers 401 unauthorized with a bare challenge when no credential was sent, and error="invalid_token" for a wrong one', async (t) => {
    const app = await startTestApp(t);
    // RFC 6750 section 3.1: no error code for a request without credentials or with another scheme.
    for (const headers of [{}, { authorization: 'Basic YWRtaW46YWRtaW4=' }]) {
      const none = await app.app.inject({ method: 'GET', url: '/v1/tenants', headers });
      assert.equal(none.statusCode, 401);
      assertErrorShape(none.json(), 'Unauthorized', 'unauthorized');
      assert.equal(none.headers['www-authenticate'], 'Bearer realm="latchkey"');
    }
    for (const headers of [{ authorization: `Bearer ${ROOT_TOKEN}x` }, { cookie: 'latchkey_session=not-a-session' }]) {
      const wrong = await app.app.inject({ method: 'GET', url: '/v1/tenants', headers });
      assert.equal(wrong.statusCode, 401);
      assertErrorShape(wrong.json(), 'Unauthorized', 'unauthorized');
      assert.equal(wrong.headers['www-authenticate'], 'Bearer realm="latchkey", error="invalid_token", error_description="unauthorized"');
    }
  });

  it('answers an HTTP/1.1 request without a Host header with 400 invalid_request in the contract shape; HTTP/1.0 needs none', async (t) => {
    const app = await startTestApp(t);
    await app.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.app.server.address() as { port: number };
    const send = (request: string) => new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(request));
      let raw = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (raw += chunk)).on('end', () => resolve(raw)).on('error', reject);
    });
    const hostless = await send('GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n');
    assert.match(hostless, /^HTTP\/1\.1 400 /, 'Node would answer this itself, with no body');
    assert.match(hostless, /\r\nx-request-id: req_/i);
    const body = JSON.parse(hostless.slice(hostless.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
    assertErrorShape(body, 'Bad Request', 'invalid_request');
    assert.deepEqual(body.fields, [{ field: 'host', message: 'an HTTP/1.1 request must carry a Host header' }]);
    assert.match(await send('GET /healthz HTTP/1.0\r\n\r\n'), /^HTTP\/1\.1 200 /);
    assert.match(await send('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 200 /);
  });

  it('answers a path with a malformed percent-escape with 400 invalid_request and a request id, echoing nothing of the URL', async (t) => {
    const app = await startTestApp(t);
    const cases: [string, RegExp][] = [
      ['/v1/tenants/%zz', /% must be followed by two hex digits/],
      ['/api/v1/m2m/health%E0%A4%A?note=visible-marker', /% must be followed by two hex digits/],
      ['/api/v1/m2m/tenants/ten_x/customers/%C3%28?note=%zz', /bytes are not UTF-8 text/],
    ];
    for (const [url, message] of cases) {
      const res = await app.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${ROOT_TOKEN}` } });
      assert.equal(res.statusCode, 400, url);
      assertErrorShape(res.json(), 'Bad Request', 'invalid_request');
      assert.deepEqual(res.json().fields.map((f: { field: string }) => f.field), ['path']);
      assert.match(res.json().fields[0].message, message, url);
      assert.equal(res.headers['x-request-id'], res.json().request_id);
      assert.doesNotMatch(res.body, /%zz|%A4|%C3|visible-marker/);
    }
  });

  it('answers a key in the query string of a path with no route as api_key_in_query; without one, 404', async (t) => {
    const app = await startTestApp(t);
    const secret = generateKey('production');
    for (const url of [`/api/v1/m2m/nope?x=${secret}`, `/api/v1/m2m/tenants/ten_x/customers/c1/x?api_key=1`, `/nowhere?${secret}`]) {
      const res = await app.app.inject({ method: 'GET', url, headers: { 'x-api-key': secret } });
      assert.equal(res.statusCode, 400, url);
      assertErrorShape(res.json(), 'Bad Request', 'api_key_in_query');
      assert.ok(!res.body.includes(secret.slice(8)), url);
    }
    const plain = await app.app.inject({ method: 'GET', url: '/api/v1/m2m/nope?page=2' });
    assert.equal(plain.statusCode, 404);
    assertErrorShape(plain.json(), 'Not Found', 'not_found');
  });

  it('answers a key in the query string of a malformed URL as api_key_in_query, without echoing it', async (t) => {
    const app = await startTestApp(t);
    const secret = generateKey('production');
    const res = await app.app.inject({ method: 'GET', url: `/api/v1/m2m/tenants/%zz/limits?api_key=${secret}` });
    assert.equal(res.statusCode, 400);
    assertErrorShape(res.json(), 'Bad Request', 'api_key_in_query');
    assert.equal(res.headers['x-request-id'], res.json().request_id);
    assert.ok(!res.body.includes(secret));
  });

  it('refuses the NUL character, which PostgreSQL cannot store, in a body or a path with 400', async (t) => {
    const app = await startTestApp(t);
    const body = await app.app.inject({ method: 'POST', url: '/v1/tenants', payload: '{"name":"Acme\\u0000Corp"}', headers: { authorization: `Bearer ${ROOT_TOKEN}`, 'content-type': 'application/json' } });
    assert.equal(body.statusCode, 400);
    assertErrorShape(body.json(), 'Bad Request', 'invalid_request');
    assert.deepEqual(body.json().fields.map((f: { field: string }) => f.field), ['body']);
    assert.equal((await app.root('GET', '/v1/tenants')).json().data.length, 0, 'nothing was made');
    for (const url of ['/v1/tenants/ten_%00', '/v1/tenants?cursor=%00']) {
      const res = await app.root('GET', url);
      assert.equal(res.statusCode, 400, url);
      assert.deepEqual(res.json().fields.map((f: { field: string }) => f.field), ['path']);
    }
  });

  it('answers a path segment longer than any id with 404 not_found and a request id', async (t) => {
    const app = await startTestApp(t);
    const res = await app.app.inject({ method: 'GET', url: `/v1/tenants/${'x'.repeat(300)}`, headers: { authorization: `Bearer ${ROOT_TOKEN}` } });
    assert.equal(res.statusCode, 404);
    assertErrorShape(res.json(), 'Not Found', 'not_found');
    assert.equal(res.headers['x-request-id'], res.json().request_id);
    assert.doesNotMatch(res.body, /xxxxxxxx/);
  });

  it('maps a JSON syntax error to 400 invalid_request', async (t) => {
    const app = await startTestApp(t);
    const res = await app.root('POST', '/v1/tenants', '{"name": ', { 'content-type': 'application/json' });
    assert.equal(res.statusCode, 400);
    assertErrorShape(res.json(), 'Bad Request', 'invalid_request');
    assert.deepEqual(res.json().fields, [{ field: 'body', message: 'is not valid JSON' }]);
  });

  it('maps a non-JSON body to 415 unsupported_media_type', async (t) => {
    const app = await startTestApp(t);
    const res = await app.root('POST', '/v1/tenants', 'name=Acme', { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(res.statusCode, 415);
    assertErrorShape(res.json(), 'Unsupported Media Type', 'unsupported_media_type');
    // Plain text too, even when it holds JSON.
    const text = await app.root('POST', '/v1/tenants', '{"name": "Acme"}', { 'content-type': 'text/plain' });
    assert.equal(text.statusCode, 415);
    assertErrorShape(text.json(), 'Unsupported Media Type', 'unsupported_media_type');
  });

  it('maps a body over the limit to 413 payload_too_large', async (t) => {
    const app = await startTestApp(t, { LATCHKEY_BODY_LIMIT_BYTES: '1024' });
    const res = await app.root('POST', '/v1/tenants', { name: 'x'.repeat(2000) });
    assert.equal(res.statusCode, 413);
    assertErrorShape(res.json(), 'Payload Too Large', 'payload_too_large');
  });

  it('names every bad field, including unknown ones, and never coerces body types', async (t) => {
    const app = await startTestApp(t);
    const res = await app.root('POST', '/v1/tenants', { name: 42, colour: 'red' });
    assert.equal(res.statusCode, 400);
    const fields = (res.json().fields as { field: string }[]).map((f) => f.field).sort();
    assert.deepEqual(fields, ['colour', 'name']);
  });

  it('names each bad field once: a value outside a union as its choices, a missing one as required', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const res = await app.root('POST', `/v1/tenants/${tenant.id}/keys`, { name: 'prod-bot', environment: 'prod', expires_at: 5 });
    assert.equal(res.statusCode, 400);
    const byField = (fields: { field: string }[]) => [...fields].sort((a, b) => a.field.localeCompare(b.field));
    assert.deepEqual(byField(res.json().fields), [
      { field: 'environment', message: 'must be one of: production, staging, development' },
      { field: 'expires_at', message: 'must be string or must be null' },
    ]);
    const missing = await app.root('POST', `/v1/tenants/${tenant.id}/keys`, { name: 'prod-bot' });
    assert.deepEqual(missing.json().fields, [{ field: 'environment', message: 'is required' }]);
    const interval = await app.root('GET', `/v1/tenants/${tenant.id}/keys/key_x/usage?interval=week`);
    assert.deepEqual(interval.json().fields, [{ field: 'interval', message: 'must be one of: minute, hour, day' }]);
    const notAString = await app.root('POST', `/v1/tenants/${tenant.id}/keys`, { name: 'prod-bot', environment: null });
    assert.deepEqual(notAString.json().fields, [{ field: 'environment', message: 'must be one of: production, staging, development' }], 'null is not one of them: no "or must be string"');
  });

  it('says size limits in the words the services use: both bounds when there are two', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const cases: [string, string, unknown, { field: string; message: string }[]][] = [
      ['POST', '/v1/tenants', { name: '' }, [{ field: 'name', message: 'must be 1-200 characters' }]],
      ['POST', '/v1/tenants', { name: '   ' }, [{ field: 'name', message: 'must be 1-200 characters' }]],
      ['POST', `/v1/tenants/${tenant.id}/keys`, { name: '', environment: 'production' }, [{ field: 'name', message: 'must be 1-100 characters' }]],
      ['POST', `/v1/tenants/${tenant.id}/keys`, { name: 'x', environment: 'production', allowed_ips: Array(101).fill('10.0.0.1') }, [{ field: 'allowed_ips', message: 'must have at most 100 entries' }]],
    ];
    for (const [method, url, body, fields] of cases) {
      const res = await app.root(method, url, body);
      assert.equal(res.statusCode, 400, JSON.stringify(body).slice(0, 60));
      assert.deepEqual(res.json().fields, fields, JSON.stringify(body).slice(0, 60));
    }
  });

  it('answers a bad query parameter with 400 naming it', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const res = await app.root('GET', `/v1/tenants/${tenant.id}/keys?limit=1000`);
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().fields[0].field, 'limit');
  });
});

describe('lenient edges', () => {
  it('treats an empty body sent as JSON as no body', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const key = await app.root('POST', `/v1/tenants/${tenant.id}/keys`, { name: 'k', environment: 'production' });
    const res = await app.app.inject({
      method: 'POST',
      url: `/v1/tenants/${tenant.id}/keys/${key.json().key.id}/rotate`,
      headers: { authorization: `Bearer ${ROOT_TOKEN}`, 'content-type': 'application/json' },
      payload: '',
    });
    assert.equal(res.statusCode, 201);
    const create = await app.app.inject({ method: 'POST', url: '/v1/tenants', headers: { authorization: `Bearer ${ROOT_TOKEN}`, 'content-type': 'application/json' }, payload: '' });
    assert.equal(create.statusCode, 400);
    assert.equal(create.json().fields[0].field, 'name');
  });

  it('refuses prototype-poisoning JSON', async (t) => {
    const app = await startTestApp(t);
    const res = await app.root('POST', '/v1/tenants', '{"name":"x","__proto__":{"admin":true}}', { 'content-type': 'application/json' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'invalid_request');
  });
});
