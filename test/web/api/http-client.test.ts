import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { ApiError, apiErrorFromBody, errorText, fieldsNotInDetails, parseRetryAfter } from '../../../web/src/api/api-error.js';
import { createHttpClient, strongETag } from '../../../web/src/api/http-client.js';
import { createLatchkeyApi } from '../../../web/src/api/latchkey-api.js';

interface Seen {
  method: string;
  url: string;
  csrf: string | undefined;
  contentType: string | undefined;
  ifMatch: string | undefined;
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A real HTTP server answering like the management API; the client reaches it through fetch. */
async function serve(t: TestContext, handler: Handler) {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      csrf: req.headers['x-csrf-token'] as string | undefined,
      contentType: req.headers['content-type'],
      ifMatch: req.headers['if-match'],
      body,
    });
    handler(req, res, body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const http = createHttpClient((input, init) => fetch(new URL(String(input), base), init));
  return { http, api: createLatchkeyApi(http), seen };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

const ME = { user: { id: 'usr_1', email: 'a@b.c' }, operator: false, memberships: [], csrf_token: 'tok_1', step_up_until: null };

describe('http client', () => {
  it('sends JSON mutations with the CSRF token, fetching it from /me when it has none', async (t) => {
    const { api, seen } = await serve(t, (req, res) => {
      if (req.url === '/v1/auth/me') return json(res, 200, ME);
      json(res, 201, { key: { id: 'key_1' }, secret: 'lk_live_x' });
    });
    const issued = await api.keys.create('ten_1', { name: 'prod-order-bot', environment: 'production' });
    assert.equal(issued.secret, 'lk_live_x');
    assert.deepEqual(seen.map((s) => `${s.method} ${s.url}`), ['GET /v1/auth/me', 'POST /v1/tenants/ten_1/keys']);
    assert.equal(seen[1]?.csrf, 'tok_1');
    assert.equal(seen[1]?.contentType, 'application/json');
    assert.deepEqual(JSON.parse(seen[1]?.body ?? ''), { name: 'prod-order-bot', environment: 'production' });
  });

  it('uses the token it was given and sends none on reads or on the sign-in calls', async (t) => {
    const { http, api, seen } = await serve(t, (req, res) => json(res, req.url?.startsWith('/v1/auth/otp') ? 202 : 200, req.method === 'GET' ? { data: [], next_cursor: null } : { status: 'sent' }));
    http.setCsrfToken('tok_2');
    await api.keys.list('ten_1', { environment: 'staging', status: '', cursor: null });
    await api.auth.requestOtp('a@b.c');
    await api.keys.revoke('ten_1', 'key_1');
    assert.deepEqual(seen.map((s) => [s.method, s.url, s.csrf]), [
      ['GET', '/v1/tenants/ten_1/keys?environment=staging', undefined],
      ['POST', '/v1/auth/otp', undefined],
      ['POST', '/v1/tenants/ten_1/keys/key_1/revoke', 'tok_2'],
    ]);
  });

  it('turns an error body into an ApiError with status, code, details, fields and Retry-After', async (t) => {
    const { api } = await serve(t, (_req, res) =>
      json(res, 429, { error: 'Too Many Requests', code: 'rate_limited', details: 'Wait a minute.', request_id: 'req_1', fields: [{ field: 'email', message: 'bad' }] }, { 'Retry-After': '42' }),
    );
    const error = await api.auth.requestOtp('a@b.c').then(() => null, (e: unknown) => e);
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 429);
    assert.equal(error.code, 'rate_limited');
    assert.equal(error.details, 'Wait a minute.');
    assert.deepEqual(error.fields, [{ field: 'email', message: 'bad' }]);
    assert.equal(error.retryAfterSeconds, 42);
    assert.equal(error.requestId, 'req_1');
  });

  it('tells listeners when the session is gone (401 unauthorized), not on a wrong code', async (t) => {
    const { http, api } = await serve(t, (req, res) =>
      req.url === '/v1/auth/otp/verify'
        ? json(res, 401, { error: 'Unauthorized', code: 'otp_invalid', details: 'Wrong code.', request_id: 'r' })
        : json(res, 401, { error: 'Unauthorized', code: 'unauthorized', details: 'Sign in.', request_id: 'r' }),
    );
    let lost = 0;
    http.onSessionLost(() => lost++);
    await assert.rejects(api.auth.verifyOtp('a@b.c', '123456'), { code: 'otp_invalid' });
    assert.equal(lost, 0);
    await assert.rejects(api.tenants.list(), { code: 'unauthorized' });
    assert.equal(lost, 1);
  });

  it('tells listeners when a call succeeds, so that an earlier failure can stop being said, and not when one fails', async (t) => {
    let down = true;
    const { http, api } = await serve(t, (_req, res) => (down ? json(res, 503, { error: 'x', code: 'unavailable', details: 'Down.', request_id: 'r' }) : json(res, 200, ME)));
    let succeeded = 0;
    const starts: number[] = [];
    const stop = http.onSucceeded((startedAt) => {
      succeeded++;
      starts.push(startedAt);
    });
    await assert.rejects(api.auth.me(), { code: 'unavailable' });
    assert.equal(succeeded, 0);
    down = false;
    const before = performance.now();
    await api.auth.me();
    assert.equal(succeeded, 1);
    assert.ok(starts[0]! >= before && starts[0]! <= performance.now(), 'with when the call started, so that a call already under way at a failure does not clear its message');
    stop();
    await api.auth.me();
    assert.equal(succeeded, 1, 'a stopped listener hears nothing');
  });

  it("gives a key with its version (the answer's ETag), and makes a settings change conditional on the version given", async (t) => {
    const versions = ['"v1AAAAAAAAAAAAAAAAAAAA"', '"v2AAAAAAAAAAAAAAAAAAAA"', '"v3AAAAAAAAAAAAAAAAAAAA"'];
    let answered = 0;
    const { http, api, seen } = await serve(t, (_req, res) => json(res, 200, { id: 'key_1', name: 'prod-order-bot' }, { ETag: versions[answered++] ?? '' }));
    http.setCsrfToken('tok');
    const read = await api.keys.get('ten_1', 'key_1');
    assert.deepEqual(read, { key: { id: 'key_1', name: 'prod-order-bot' }, version: versions[0] });
    const saved = await api.keys.update('ten_1', 'key_1', { name: 'prod-order-bot-2' }, read.version);
    assert.equal(saved.version, versions[1], 'the answer to the change names the new version');
    assert.equal((await api.keys.deactivate('ten_1', 'key_1')).version, versions[2]);
    assert.deepEqual(seen.map((s) => [s.method, s.url, s.ifMatch]), [
      ['GET', '/v1/tenants/ten_1/keys/key_1', undefined],
      ['PATCH', '/v1/tenants/ten_1/keys/key_1', versions[0]],
      ['POST', '/v1/tenants/ten_1/keys/key_1/deactivate', undefined],
    ]);
    await api.keys.update('ten_1', 'key_1', { name: 'x' });
    assert.equal(seen.at(-1)?.ifMatch, undefined, 'no version given: no If-Match');
    assert.equal((await api.keys.get('ten_1', 'key_1')).version, null, 'an answer without ETag: no version');
  });

  it('accepts an empty 204 answer', async (t) => {
    const { http, api } = await serve(t, (_req, res) => json(res, 204, undefined));
    http.setCsrfToken('tok');
    assert.equal(await api.members.remove('ten_1', 'usr_2'), undefined);
  });

  it('reports an unreachable server in words', async () => {
    const http = createHttpClient((input, init) => fetch(new URL(String(input), 'http://127.0.0.1:9'), init));
    await assert.rejects(createLatchkeyApi(http).auth.me(), (e: unknown) => e instanceof ApiError && e.code === 'network_error' && /could not be reached/.test(e.details));
  });
});

describe('api errors', () => {
  it('keeps a readable message for bodies that are not the API shape', () => {
    const error = apiErrorFromBody(502, '<html>Bad gateway</html>', null);
    assert.equal(error.code, 'http_error');
    assert.match(errorText(error), /502/);
  });

  it('lists only the field messages that details does not already say', () => {
    const fields = [{ field: 'meta', message: 'must be at most 4096 bytes' }, { field: 'name', message: 'must be 1-100 characters' }];
    assert.deepEqual(fieldsNotInDetails('The request is not valid (meta: must be at most 4096 bytes)', fields), [fields[1]]);
    assert.deepEqual(fieldsNotInDetails('The request is not valid (meta: must be at most 4096 bytes; name: must be 1-100 characters)', fields), []);
  });

  it('reads the version of an ETag as the strong tag to send back, and none from a header that is not one', () => {
    assert.equal(strongETag('"5Jz0vQkq3i1tM2yYc8b7hA"'), '"5Jz0vQkq3i1tM2yYc8b7hA"');
    assert.equal(strongETag('W/"5Jz0vQkq3i1tM2yYc8b7hA"'), '"5Jz0vQkq3i1tM2yYc8b7hA"', 'marked weak by a compressing proxy: the same version');
    assert.equal(strongETag(null), null);
    assert.equal(strongETag('5Jz0vQkq3i1tM2yYc8b7hA'), null, 'unquoted: If-Match would be refused as malformed');
    assert.equal(strongETag('"a", "b"'), null);
  });

  it('reads Retry-After only as whole seconds', () => {
    assert.equal(parseRetryAfter('60'), 60);
    assert.equal(parseRetryAfter(null), null);
    assert.equal(parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT'), null);
  });
});
