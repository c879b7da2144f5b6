// A Latchkey server listening on loopback, with a tenant and keys, for the SDK's tests: the SDK talks HTTP to it.
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LatchkeyClient } from '../../sdk/src/index.js';
import { type Cleanup, createKey, createTenant, type IssuedKey, ROOT_TOKEN, startTestApp, type TestApp } from '../support/test-app.js';

export interface LatchkeyForSdk {
  app: TestApp;
  url: string;
  client: LatchkeyClient;
  tenantId: string;
  /** scopes orders:read, 100 rpm */
  reader: IssuedKey;
  /** 1 request per minute */
  limited: IssuedKey;
  /** only from 10.0.0.0/8 */
  fenced: IssuedKey;
  /** only from loopback (127.0.0.0/8) */
  local: IssuedKey;
  revoked: IssuedKey;
}

export async function startLatchkeyForSdk(t: Cleanup): Promise<LatchkeyForSdk> {
  const app = await startTestApp(t);
  await app.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.app.server.address() as AddressInfo).port}`;
  const tenant = await createTenant(app, { plan: 'pro' });
  const reader = await createKey(app, tenant.id, { name: 'reader', scopes: ['orders:read'] });
  const limited = await createKey(app, tenant.id, { name: 'limited', rate_limit: { requests_per_minute: 1 } });
  const fenced = await createKey(app, tenant.id, { name: 'fenced', allowed_ips: ['10.0.0.0/8'] });
  const local = await createKey(app, tenant.id, { name: 'local', allowed_ips: ['127.0.0.0/8'] });
  const revoked = await createKey(app, tenant.id, { name: 'revoked' });
  const revoke = await app.root('POST', `/v1/tenants/${tenant.id}/keys/${revoked.key.id}/revoke`);
  if (revoke.statusCode !== 200) throw new Error(`revoke failed: ${revoke.statusCode}`);
  return { app, url, client: new LatchkeyClient({ url, token: ROOT_TOKEN }), tenantId: tenant.id, reader, limited, fenced, local, revoked };
}

/** A port nothing listens on: a Latchkey that is down. */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * GET `url` with two Authorization headers, each on its own line (fetch would join them into one), a valid key
 * first: Node keeps only that first one in `headers`.
 */
export function getWithTwoAuthorizations(url: string, first: string, second: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    // Raw header lines: Node sends them as given, and adds no Host of its own.
    const headers = ['Host', new URL(url).host, 'Authorization', `Bearer ${first}`, 'Authorization', `Bearer ${second}`];
    const req = request(url, { headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject).end();
  });
}
