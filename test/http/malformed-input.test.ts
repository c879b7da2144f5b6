// Requests that are broken below the JSON level (HTTP framing, bytes, surrogates) or that bend a rule
// (prototype keys, long names, forged cursors) get the contract's error body, naming what is wrong.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { createKey, createTenant, ROOT_TOKEN, startTestApp, type TestApp } from '../support/test-app.js';

const SECRET = 'lk_live_NotARealKeyButPastedIntoTheRequest';

/** Sends `request` as is and collects the answer until the server closes the connection (or resets it). */
function rawExchange(port: number, request: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
    // A server that closes with unread bytes may reset the connection; what arrived before still counts.
    socket.on('error', () => undefined).on('close', () => resolve(answer));
  });
}

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  raw: string;
}

function parseAnswer(raw: string): RawAnswer {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).split('\r\n');
  const headers = Object.fromEntries(head.slice(1).map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { status: Number(head[0]?.split(' ')[1]), headers, body: JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>, raw };
}

async function listening(t: { after(fn: () => unknown): void }, env: Record<string, string> = {}): Promise<{ app: TestApp; port: number }> {
  const app = await startTestApp(t, env);
  await app.app.listen({ port: 0, host: '127.0.0.1' });
  return { app, port: (app.app.server.address() as { port: number }).port };
}

const jsonHeaders = { authorization: `Bearer ${ROOT_TOKEN}`, 'content-type': 'application/json' };

describe('requests Node cannot parse as HTTP', () => {
  it('answers CONNECT (a proxy tunnel, which Node would drop unanswered) with 400 invalid_request naming the method', async (t) => {
    const { port } = await listening(t);
    const answer = parseAnswer(await rawExchange(port, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'));
    assert.equal(answer.status, 400);
    assert.equal(answer.body.code, 'invalid_request');
    assert.deepEqual((answer.body.fields as Array<{ field: string }>).map((f) => f.field), ['method']);
    assert.match(answer.headers['x-request-id'] ?? '', /^req_/);
    assert.equal(answer.body.request_id, answer.headers['x-request-id']);
  });

  it('answers nothing in the place of an earlier pipelined request: the connection just closes after its answer', async (t) => {
    const { app, port } = await listening(t);
    const tenant = await createTenant(app);
    const { key } = await createKey(app, tenant.id);
    const answer = await rawExchange(port,
      `POST /v1/tenants/${tenant.id}/keys/${key.id}/revoke HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ROOT_TOKEN}\r\nContent-Length: 0\r\n\r\n` +
      `GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: x\r\n\r\n`);
    assert.equal((await app.root('GET', `/v1/tenants/${tenant.id}/keys/${key.id}`)).json().status, 'revoked');
    // The revoke's own answer, or none if the connection closed first; never a 400 that would read as the revoke's.
    assert.doesNotMatch(answer, /^HTTP\/1\.1 400/);
  });

  it('answers a whole request that came before bad bytes (its action is done: the secret of a new key is only in that answer), then closes', async (t) => {
    const { app, port } = await listening(t);
    const tenant = await createTenant(app);
    const body = JSON.stringify({ name: 'bot', environment: 'production' });
    const answer = await rawExchange(port,
      `POST /v1/tenants/${tenant.id}/keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ROOT_TOKEN}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}` +
      'GARBAGE\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 201 /, answer.slice(0, 200));
    assert.match(answer, /"secret":"lk_live_/);
    assert.equal((await app.root('GET', `/v1/tenants/${tenant.id}/keys`)).json().data.length, 1, 'one key, and its secret reached the client');
  });

  const cases: [string, string, string][] = [
    ['a Content-Length that is not a number', `POST /v1/tenants?k=${SECRET} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1x\r\n\r\n{}`, 'headers'],
    ['a malformed chunked body', `POST /v1/tenants HTTP/1.1\r\nHost: x\r\nX-API-Key: ${SECRET}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`, 'body'],
    ['a header name holding a space', `GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: ${SECRET}\r\n\r\n`, 'headers'],
    ['headers over 16 KB', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-API-Key: ${SECRET}\r\nX-Big: ${'a'.repeat(17_000)}\r\n\r\n`, 'headers'],
    ['a request line that is not HTTP', `GET /healthz?key=${SECRET} NOT-HTTP\r\n\r\n`, 'request'],
  ];
  for (const [what, request, field] of cases) {
    it(`answers ${what} with 400 invalid_request in the contract's shape, a fresh request id, Connection: close and no echo`, async (t) => {
      const { port } = await listening(t);
      const answer = parseAnswer(await rawExchange(port, request));
      assert.equal(answer.status, 400, answer.raw.slice(0, 200));
      assert.equal(answer.body.error, 'Bad Request');
      assert.equal(answer.body.code, 'invalid_request');
      assert.equal(typeof answer.body.details, 'string');
      assert.match(String(answer.body.request_id), /^req_/);
      assert.equal(answer.headers['x-request-id'], answer.body.request_id);
      assert.equal(answer.headers.connection, 'close');
      assert.match(answer.headers['content-type'] ?? '', /^application\/json/);
      assert.equal(Number(answer.headers['content-length']), Buffer.byteLength(JSON.stringify(answer.body)));
      assert.equal((answer.body.fields as { field: string }[])[0]?.field, field);
      // Nothing of the request echoed; the request id is left out of the check, since a random one may hold "zz".
      assert.doesNotMatch(answer.raw.replaceAll(String(answer.body.request_id), 'req_'), /NotARealKey|aaaaaaaa|Bad Header|zz/);
    });
  }

  it('says which framing header is wrong: Content-Length twice, or with Transfer-Encoding in either order', async (t) => {
    const { port } = await listening(t);
    const head = 'POST /v1/tenants HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n';
    const cases: [string, RegExp][] = [
      [`${head}Content-Length: 2\r\nContent-Length: 5\r\n\r\n{}`, /Content-Length more than once/],
      [`${head}Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}`, /both Content-Length and Transfer-Encoding/],
      [`${head}Transfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n{}`, /both Content-Length and Transfer-Encoding/],
      [`${head}Content-Length: 2, 2\r\n\r\n{}`, /not one whole number/],
    ];
    for (const [request, message] of cases) {
      const answer = parseAnswer(await rawExchange(port, request));
      assert.equal(answer.status, 400, request);
      assert.deepEqual((answer.body.fields as { field: string }[]).map((f) => f.field), ['headers'], request);
      assert.match(String(answer.body.details), message, request);
    }
  });

  it('cuts a request not sent whole within LATCHKEY_REQUEST_TIMEOUT_SECONDS with 400 invalid_request naming the request; one sent in time is served', async (t) => {
    const { app, port } = await listening(t, { LATCHKEY_REQUEST_TIMEOUT_SECONDS: '1' });
    const tenant = await createTenant(app);
    const stalled = parseAnswer(await rawExchange(port,
      `POST /v1/tenants/${tenant.id}/keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ROOT_TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{"name":`));
    assert.equal(stalled.status, 400);
    assert.equal(stalled.body.code, 'invalid_request');
    assert.deepEqual(stalled.body.fields, [{ field: 'request', message: 'did not arrive whole in time; send it again without pausing' }]);
    assert.equal(stalled.headers.connection, 'close');
    assert.equal((await app.root('GET', `/v1/tenants/${tenant.id}/keys`)).json().data.length, 0, 'nothing was created from the part that came');
    const whole = await rawExchange(port, `GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.match(whole, /^HTTP\/1\.1 200 /);
  });

  it('answers an Expect other than 100-continue (Node would send a bare 417) and a route that does not exist in the contract shape, uncached', async (t) => {
    const { port } = await listening(t);
    const expect = parseAnswer(await rawExchange(port, `GET /v1/tenants HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ROOT_TOKEN}\r\nExpect: foo\r\n\r\n`));
    assert.equal(expect.status, 400);
    assert.deepEqual(expect.body.fields, [{ field: 'expect', message: 'must be 100-continue, the only expectation served; or leave the header out' }]);
    assert.match(expect.headers['x-request-id'] ?? '', /^req_/);
    const notHttp = parseAnswer(await rawExchange(port, 'FOO /v1/tenants HTTP/1.1\r\nHost: x\r\n\r\n'));
    const noRoute = parseAnswer(await rawExchange(port, `PUT /v1/tenants HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`));
    assert.deepEqual([notHttp.status, noRoute.status], [400, 404]);
    for (const answer of [expect, notHttp, noRoute]) {
      assert.equal(answer.headers['cache-control'], 'no-store', answer.raw.slice(0, 60));
      assert.equal(answer.headers['x-content-type-options'], 'nosniff', answer.raw.slice(0, 60));
    }
  });

  it('gives each such answer its own request id, drawn like those of parsed requests', async (t) => {
    const { port } = await listening(t);
    const bad = 'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n';
    const first = parseAnswer(await rawExchange(port, bad));
    const second = parseAnswer(await rawExchange(port, bad));
    const fine = await rawExchange(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.notEqual(first.body.request_id, second.body.request_id);
    const id = /\r\nx-request-id: (req_\w+)/i.exec(fine)?.[1] ?? '';
    assert.equal(id.slice(0, 14), String(first.body.request_id).slice(0, 14), 'same per-process prefix');
  });
});

describe('JSON bodies that are not text', () => {
  it('refuses a compressed body (Content-Encoding) with 415 rather than reading it as the JSON text', async (t) => {
    const app = await startTestApp(t);
    for (const encoding of ['gzip', 'br', 'deflate, gzip']) {
      const res = await app.app.inject({ method: 'POST', url: '/v1/tenants', headers: { ...jsonHeaders, 'content-encoding': encoding }, payload: '{"name":"Acme"}' });
      assert.equal(res.statusCode, 415, encoding);
      assert.equal(res.json().code, 'unsupported_media_type', encoding);
      assert.match(res.json().details, /uncompressed/);
    }
    const plain = await app.app.inject({ method: 'POST', url: '/v1/tenants', headers: { ...jsonHeaders, 'content-encoding': 'identity' }, payload: '{"name":"Acme"}' });
    assert.equal(plain.statusCode, 201, 'identity is no encoding');
  });

  it('refuses bytes that are not UTF-8 with 400 naming the body, instead of storing U+FFFD', async (t) => {
    const app = await startTestApp(t);
    const payload = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const res = await app.app.inject({ method: 'POST', url: '/v1/tenants', headers: jsonHeaders, payload });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'invalid_request');
    assert.deepEqual(res.json().fields, [{ field: 'body', message: 'is not valid UTF-8 text' }]);
    const list = await app.root('GET', '/v1/tenants');
    assert.equal(list.json().data.length, 0, 'nothing stored');
  });

  it('refuses a lone surrogate escape, naming the field that holds it', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const name = await app.app.inject({ method: 'POST', url: '/v1/tenants', headers: jsonHeaders, payload: '{"name":"a\\ud800b"}' });
    assert.equal(name.statusCode, 400);
    assert.equal(name.json().code, 'invalid_request');
    assert.equal(name.json().fields[0].field, 'name');
    assert.match(name.json().fields[0].message, /surrogate/);
    const nested = await app.app.inject({
      method: 'POST',
      url: `/v1/tenants/${tenant.id}/keys`,
      headers: jsonHeaders,
      payload: '{"name":"bot","environment":"production","meta":{"tags":["ok","x\\uDC00"]}}',
    });
    assert.equal(nested.statusCode, 400);
    assert.equal(nested.json().fields[0].field, 'meta.tags.1');
    const inKey = await app.app.inject({ method: 'POST', url: `/v1/tenants/${tenant.id}/keys`, headers: jsonHeaders, payload: '{"name":"bot","environment":"production","meta":{"\\ud800":1}}' });
    assert.equal(inKey.statusCode, 400);
    assert.equal(inKey.json().fields[0].field, 'meta');
  });

  it('names at most 200 characters of a deep field: a small body does not buy a large answer', async (t) => {
    const app = await startTestApp(t);
    // 60 levels (the most a body may nest is 64) of ten-letter names: a path of 659 characters.
    const deep = `${'{"abcdefghij":'.repeat(60)}"\\ud800"${'}'.repeat(60)}`;
    const res = await app.app.inject({ method: 'POST', url: '/v1/auth/otp', headers: { 'content-type': 'application/json' }, payload: deep });
    assert.equal(res.statusCode, 400);
    const field = res.json().fields[0].field as string;
    assert.equal(field.length, 200);
    assert.ok(field.endsWith('…'));
    assert.ok(res.body.length < 1000, `an answer of ${res.body.length} bytes`);
  });

  it('accepts a character escaped as a surrogate pair (as JSON encoders that escape non-ASCII write it)', async (t) => {
    const app = await startTestApp(t);
    const res = await app.app.inject({ method: 'POST', url: '/v1/tenants', headers: jsonHeaders, payload: '{"name":"Acme \\ud83d\\ude00"}' });
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().name, 'Acme \u{1f600}');
  });

  it('says that a "__proto__" key is refused for safety, not that the JSON is invalid', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    for (const meta of ['{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}']) {
      const res = await app.app.inject({ method: 'POST', url: `/v1/tenants/${tenant.id}/keys`, headers: jsonHeaders, payload: `{"name":"bot","environment":"production","meta":${meta}}` });
      assert.equal(res.statusCode, 400, meta);
      assert.equal(res.json().code, 'invalid_request');
      assert.equal(res.json().fields[0].field, 'body');
      assert.match(res.json().fields[0].message, /must not hold a "__proto__" key/);
      assert.doesNotMatch(res.json().details, /not valid JSON/);
    }
    const broken = await app.app.inject({ method: 'POST', url: '/v1/tenants', headers: jsonHeaders, payload: '{"name":"__proto__",' });
    assert.deepEqual(broken.json().fields, [{ field: 'body', message: 'is not valid JSON' }]);
  });
});

describe('names', () => {
  it('are counted in characters (code points), not UTF-16 units: 100 emoji fit, 101 do not', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const hundred = '\u{1f511}'.repeat(100);
    const fits = await app.root('POST', `/v1/tenants/${tenant.id}/keys`, { name: hundred, environment: 'production' });
    assert.equal(fits.statusCode, 201, fits.body);
    assert.equal(fits.json().key.name, hundred);
    const renamed = await app.root('PATCH', `/v1/tenants/${tenant.id}/keys/${fits.json().key.id}`, { name: `${hundred.slice(2)}\u{1f512}` });
    assert.equal(renamed.statusCode, 200, renamed.body);
    const over = await app.root('POST', `/v1/tenants/${tenant.id}/keys`, { name: `${hundred}\u{1f511}`, environment: 'production' });
    assert.equal(over.statusCode, 400);
    assert.equal(over.json().fields[0].field, 'name');
    const ids = await app.root('POST', `/v1/tenants/${tenant.id}/keys`, { name: 'bot', environment: 'production', customer_ids: [hundred] });
    assert.equal(ids.statusCode, 201, ids.body);
  });
});

describe('secrets pasted into settings', () => {
  it('are refused with 400 naming the field, in names, customer IDs, meta (names and values), tenant names and e-mails; nothing is stored', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    const { key, secret } = await createKey(app, tenant.id);
    const rootToken = `lkr_${'A1b2C3d4'.repeat(5)}xyz`;
    const escaped = secret.replaceAll('_', '%5F');
    const base = `/v1/tenants/${tenant.id}`;
    const refusals: [string, string, Record<string, unknown>, string][] = [
      ['POST', `${base}/keys`, { name: `leak ${secret}`, environment: 'production' }, 'name'],
      ['POST', `${base}/keys`, { name: 'bot', environment: 'production', customer_ids: ['cus_1', secret] }, 'customer_ids'],
      ['POST', `${base}/keys`, { name: 'bot', environment: 'production', meta: { note: `key is ${secret}` } }, 'meta'],
      ['POST', `${base}/keys`, { name: 'bot', environment: 'production', meta: { [secret]: 1 } }, 'meta'],
      ['POST', `${base}/keys`, { name: `token ${rootToken}`, environment: 'production' }, 'name'],
      ['POST', `${base}/keys`, { name: `escaped ${escaped}`, environment: 'production' }, 'name'],
      ['PATCH', `${base}/keys/${key.id}`, { name: secret.toUpperCase().replace('LK_LIVE', 'lk_LIVE') }, 'name'],
      ['PATCH', `${base}/keys/${key.id}`, { meta: { nested: [{ deep: secret }] } }, 'meta'],
      ['POST', '/v1/tenants', { name: secret }, 'name'],
      ['PATCH', base, { name: `Acme ${secret}` }, 'name'],
      ['POST', `${base}/members`, { email: `${secret}@example.com`, role: 'viewer' }, 'email'],
    ];
    for (const [method, url, body, field] of refusals) {
      const res = await app.root(method, url, body);
      assert.equal(res.statusCode, 400, `${method} ${url} ${field}`);
      assert.equal(res.json().code, 'invalid_request');
      assert.deepEqual(res.json().fields, [{ field, message: 'must not hold an API key or a root token (they are stored only as digests, and this field is shown to every member); remove it, and revoke the key if it is real' }]);
      assert.doesNotMatch(res.body, new RegExp(secret.slice(8)), 'the answer does not repeat it');
    }
    const stored = JSON.stringify(await app.services.database.db.selectFrom('api_keys').selectAll().execute())
      + JSON.stringify(await app.services.database.db.selectFrom('tenants').selectAll().execute())
      + JSON.stringify(await app.services.database.db.selectFrom('audit_log').selectAll().execute());
    assert.doesNotMatch(stored, new RegExp(secret.slice(8), 'i'));
    // Text that only resembles part of a key is fine.
    const fine = await app.root('POST', `${base}/keys`, { name: 'lk_live rotation bot', environment: 'production', meta: { env: 'live_test_dev' } });
    assert.equal(fine.statusCode, 201, fine.body);
  });
});

describe('forged cursors', () => {
  it('whose time is not a time are refused on every list, like any other forged cursor', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    await createKey(app, tenant.id);
    const forged = [
      Buffer.from(JSON.stringify(['not a date', 'key_x'])).toString('base64url'),
      Buffer.from(JSON.stringify(['2026-02-30T00:00:00.000Z', 'key_x'])).toString('base64url'),
      Buffer.from(JSON.stringify(['9999-99-99', 'key_x'])).toString('base64url'),
    ];
    const lists = ['/v1/tenants', `/v1/tenants/${tenant.id}/keys`, `/v1/tenants/${tenant.id}/members`, `/v1/tenants/${tenant.id}/audit-log`, `/v1/tenants/${tenant.id}/request-logs`];
    for (const list of lists) {
      for (const cursor of forged) {
        const res = await app.root('GET', `${list}?cursor=${cursor}`);
        assert.equal(res.statusCode, 400, `${list} ${cursor}`);
        assert.deepEqual(res.json().fields, [{ field: 'cursor', message: 'is not a cursor returned by this API' }]);
      }
    }
  });

  it('of one list are refused by another, naming the mistake, instead of paging from a position that is not its own', async (t) => {
    const app = await startTestApp(t);
    const tenant = await createTenant(app);
    await createKey(app, tenant.id);
    await createKey(app, tenant.id);
    const audit = await app.root('GET', `/v1/tenants/${tenant.id}/audit-log?limit=1`);
    const auditCursor: string = audit.json().next_cursor;
    assert.ok(auditCursor);
    const keys = await app.root('GET', `/v1/tenants/${tenant.id}/keys?cursor=${auditCursor}`);
    assert.equal(keys.statusCode, 400);
    assert.deepEqual(keys.json().fields, [{ field: 'cursor', message: 'is a cursor of another list; use the next_cursor this list returned' }]);
    const members = await app.root('GET', `/v1/tenants/${tenant.id}/members?cursor=${auditCursor}`);
    assert.equal(members.statusCode, 400);
    // Its own list still takes it.
    const next = await app.root('GET', `/v1/tenants/${tenant.id}/audit-log?limit=1&cursor=${auditCursor}`);
    assert.equal(next.statusCode, 200, next.body);
    assert.equal(next.json().data.length, 1);
  });
});
