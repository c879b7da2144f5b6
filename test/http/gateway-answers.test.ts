// The gateway over real sockets: what the client gets of the upstream's answer, and what the request log keeps of
// calls whose answer finished, broke off, or never started.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RedisProxy, redisSkipReason, TEST_REDIS_URL, testKeyPrefix } from '../support/redis.js';
import { createKey, createTenant, startTestApp } from '../support/test-app.js';

type Cleanup = { after(fn: () => unknown): void };

const redisSkip = await redisSkipReason();

/**
 * An upstream with a few ways to answer: `/echo` (201 with headers a proxy must not pass on or must not let
 * replace Latchkey's), `/reset` (headers and half a body, then the connection drops) and `/hold` (no answer).
 */
async function startUpstream(t: Cleanup): Promise<string> {
  const held: ServerResponse[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.endsWith('/reset')) {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
        res.write('half of it');
        setTimeout(() => res.socket?.destroy(), 20);
      } else if (req.url?.endsWith('/hold')) {
        held.push(res);
      } else {
        res.writeHead(201, {
          'content-type': 'application/json',
          'x-request-id': 'upstream-7',
          'x-ratelimit-limit': '999999',
          'x-ratelimit-remaining': '999999',
          ratelimit: '"up";r=999999;t=1',
          connection: 'close, x-hop-secret',
          'x-hop-secret': 'for the next hop only',
          'proxy-authenticate': 'Basic realm="upstream"',
          upgrade: 'h2c',
          'x-kept': 'yes',
        });
        res.end(JSON.stringify({ ok: true }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const res of held) res.destroy();
    return new Promise((resolve) => server.close(resolve));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function listeningGateway(t: Cleanup, env: Record<string, string> = {}) {
  const upstream = await startUpstream(t);
  const configFile = join(mkdtempSync(join(tmpdir(), 'latchkey-gw-')), 'latchkey.config.json');
  writeFileSync(configFile, JSON.stringify({ routes: [{ path: '/api/v1/m2m/tenants/:tenantId/files/*', methods: ['GET', 'POST'], upstream, timeoutSeconds: 30 }] }));
  const app = await startTestApp(t, { LATCHKEY_CONFIG: configFile, ...env });
  const tenant = await createTenant(app);
  const { key, secret } = await createKey(app, tenant.id);
  await app.app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.app.server.address() as AddressInfo).port}/api/v1/m2m/tenants/${tenant.id}/files`;
  /** The request log's rows, once `expected` of them are written (or after 2 s): a call's row comes when it closes. */
  const logRows = async (expected = 0) => {
    for (let i = 0; ; i++) {
      await app.services.usageWriter.flush();
      const rows = await app.services.database.db.selectFrom('request_logs').select(['path', 'status', 'ip', 'code']).orderBy('at').execute();
      if (rows.length >= expected || i === 40) return rows;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { app, tenant, key, secret, base, logRows };
}

/** Sends a GET with `secret` and goes away `afterMs` later, answered or not. */
function callAndLeave(target: string, secret: string, afterMs: number): Promise<void> {
  const url = new URL(target);
  return new Promise<void>((resolve) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, headers: { 'x-api-key': secret } });
    req.on('error', () => resolve());
    req.end();
    setTimeout(() => {
      req.destroy();
      resolve();
    }, afterMs);
  });
}

describe('gateway answers over real sockets', () => {
  it("keeps Latchkey's request id and rate-limit headers, passes the upstream's id as X-Upstream-Request-Id, and drops hop-by-hop headers", async (t) => {
    const { secret, base } = await listeningGateway(t);
    const res = await fetch(`${base}/echo`, { headers: { 'x-api-key': secret } });
    assert.equal(res.status, 201);
    assert.match(res.headers.get('x-request-id') ?? '', /^req_/);
    assert.equal(res.headers.get('x-upstream-request-id'), 'upstream-7');
    assert.equal(res.headers.get('x-ratelimit-limit'), '100', "the key's limit, not the upstream's");
    assert.equal(res.headers.get('x-ratelimit-remaining'), '99');
    assert.match(res.headers.get('ratelimit') ?? '', /^"default";r=99;/);
    for (const name of ['x-hop-secret', 'proxy-authenticate', 'upgrade']) assert.equal(res.headers.get(name), null, name);
    assert.notEqual(res.headers.get('connection'), 'close, x-hop-secret');
    assert.equal(res.headers.get('x-kept'), 'yes');
  });

  it('logs a call with a body with its client address and counts it as a use from there', async (t) => {
    const { app, tenant, key, secret, base, logRows } = await listeningGateway(t);
    const res = await fetch(`${base}/echo`, { method: 'POST', headers: { 'x-api-key': secret, 'content-type': 'application/octet-stream' }, body: Buffer.alloc(200_000, 7) });
    assert.equal(res.status, 201);
    await res.arrayBuffer();
    const rows = await logRows();
    assert.deepEqual(rows.map((r) => [r.status, r.ip]), [[201, '127.0.0.1']]);
    const shown = (await app.root('GET', `/v1/tenants/${tenant.id}/keys/${key.id}`)).json();
    assert.equal(shown.last_used_ip, '127.0.0.1');
  });

  it('logs and counts calls whose answer broke off or never came: the status sent, or 499 when the client left first', async (t) => {
    const { app, tenant, key, secret, base, logRows } = await listeningGateway(t);
    await assert.rejects(async () => {
      const res = await fetch(`${base}/reset`, { headers: { 'x-api-key': secret } });
      await res.text();
    }, 'the body was cut off');

    await callAndLeave(`${base}/hold`, secret, 300);
    const rows = await logRows(2);
    assert.deepEqual(rows.map((r) => [r.path.split('/').pop(), r.status, r.ip, r.code]), [['reset', 200, '127.0.0.1', 'valid'], ['hold', 499, '127.0.0.1', 'valid']]);
    const usage = (await app.root('GET', `/v1/tenants/${tenant.id}/keys/${key.id}/usage`)).json();
    assert.equal(usage.data.reduce((n: number, b: { counts: Record<string, number> }) => n + (b.counts.valid ?? 0), 0), 2);
  });

  it('logs and counts a call whose client left while its key was being checked (a slow Redis)', { skip: redisSkip }, async (t) => {
    const redis = await RedisProxy.start(t, TEST_REDIS_URL);
    const { app, tenant, key, secret, base, logRows } = await listeningGateway(t, { LATCHKEY_REDIS_URL: redis.url, LATCHKEY_REDIS_PREFIX: testKeyPrefix(t) });
    redis.slow(300);
    // Gone while the rate limit's answer is still on its way.
    await callAndLeave(`${base}/echo`, secret, 50);
    const rows = await logRows(1);
    assert.deepEqual(rows.map((r) => [r.status, r.code]), [[499, 'valid']]);
    redis.slow(0);
    const shown = (await app.root('GET', `/v1/tenants/${tenant.id}/keys/${key.id}`)).json();
    assert.equal(shown.last_used_ip, '127.0.0.1', 'counted as a use');
  });

  it('refuses, before checking the key, a target the proxy would refuse: /.. or ../ in the query or inside a segment, or bad escapes', async (t) => {
    const { secret, base, logRows } = await listeningGateway(t);
    const cases: Array<[string, string]> = [
      ['/a?next=../b', 'query'],
      ['/a?next=%2E%2E%2Fb', 'query'],
      ['/a?q=%E0%A4%A', 'query'],
      ['/s1/..foo', 'path'],
      ['/s1/foo../bar', 'path'],
    ];
    for (const [target, field] of cases) {
      const res = await fetch(`${base}${target}`, { headers: { 'x-api-key': secret } });
      assert.equal(res.status, 400, target);
      const body = (await res.json()) as { code: string; fields: Array<{ field: string }> };
      assert.equal(body.code, 'invalid_request', target);
      assert.deepEqual(body.fields.map((f) => f.field), [field], target);
      assert.equal(res.headers.get('x-ratelimit-remaining'), null, `${target}: refused before the key was checked`);
    }
    assert.equal((await fetch(`${base}/a..b/c.d?x=..`, { headers: { 'x-api-key': secret } })).status, 201, 'dots are just characters elsewhere');
    assert.equal((await logRows()).length, 1, 'only the call that went through is logged');
  });
});
