// The default outage warning is throttled per client: every route's middleware made from one client shares it.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import express from 'express';
import { Hono } from 'hono';
import { requireApiKey as expressGuard } from '../../sdk/src/express.js';
import { requireApiKey as honoGuard } from '../../sdk/src/hono.js';
import { LatchkeyClient } from '../../sdk/src/index.js';
import { generateKey } from '../../src/core/key-format.js';
import type { Cleanup } from '../support/test-app.js';
import { closedPort } from './latchkey-for-sdk.js';

const KEY = generateKey('production');
const ROUTES = ['/orders', '/invoices', '/customers', '/refunds'];

/** A client of a Latchkey that is down: nothing listens at its URL. */
async function downClient(): Promise<LatchkeyClient> {
  return new LatchkeyClient({ url: `http://127.0.0.1:${await closedPort()}`, token: 'any-token-0123456789abcdef' });
}

/** An Express service with one `requireApiKey` per route, all made from `client`. */
async function startExpress(t: Cleanup, client: LatchkeyClient): Promise<string> {
  const app = express();
  for (const route of ROUTES) app.get(route, expressGuard({ client, scopes: [`${route.slice(1)}:read`] }), (_req, res) => void res.json({}));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function startHono(t: Cleanup, client: LatchkeyClient): Promise<string> {
  const app = new Hono();
  for (const route of ROUTES) app.get(route, honoGuard({ client }), (c) => c.json({}));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function callEveryRoute(base: string): Promise<void> {
  for (const route of ROUTES) {
    const res = await fetch(`${base}${route}`, { headers: { 'x-api-key': KEY } });
    assert.equal(res.status, 503, route);
    await res.body?.cancel();
  }
}

describe('the SDK: outage warning', () => {
  it('writes one line per client for all the routes guarded with it, and one more for another client', async (t) => {
    const warn = t.mock.method(console, 'warn', () => undefined);
    const client = await downClient();
    const expressUrl = await startExpress(t, client);
    const honoUrl = await startHono(t, client);
    await callEveryRoute(expressUrl);
    await callEveryRoute(honoUrl);
    await callEveryRoute(expressUrl);
    const lines = warn.mock.calls.map((call) => String(call.arguments[0]));
    assert.deepEqual(lines, ['latchkey: Latchkey could not be reached; requests are answered 503 unavailable until it answers'], 'one line for 12 refusals on 8 routes');

    await callEveryRoute(await startExpress(t, await downClient()));
    assert.equal(warn.mock.callCount(), 2, 'another client has its own line: its service may log elsewhere');
    assert.ok(!warn.mock.calls.some((call) => String(call.arguments[0]).includes(KEY)), 'the key is never written');
  });

  it('answers a value without the shape of a key 401 malformed_api_key while Latchkey is down: no call was needed', async (t) => {
    t.mock.method(console, 'warn', () => undefined);
    const base = await startExpress(t, await downClient());
    const res = await fetch(`${base}/orders`, { headers: { 'x-api-key': 'lk_live_x' } });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { code: string }).code, 'malformed_api_key');
  });
});
