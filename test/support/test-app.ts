// A fresh app on its own SQLite file per test, with captured logs and request helpers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import type { TypedApp } from '../../src/http/typed-app.js';
import { createLogger } from '../../src/logger.js';
import type { Clock } from '../../src/manage/context.js';
import { buildServices, type Services } from '../../src/services.js';

export const ROOT_TOKEN = 'test-root-token-0123456789-abcdefghij';

export interface Cleanup {
  after(fn: () => unknown): void;
}

export interface TestApp {
  app: TypedApp;
  services: Services;
  dir: string;
  /** Everything the app logged so far. */
  logs(): string;
  /** A request with the operator's root token. */
  root(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** A machine request with `key` in X-API-Key. */
  machine(url: string, key: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

export class ManualClock implements Clock {
  constructor(private current = new Date()) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(seconds: number): void {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}

export async function startTestApp(t: Cleanup, env: Record<string, string> = {}, options: { clock?: Clock } = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-test-'));
  let captured = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      captured += chunk.toString();
      done();
    },
  });
  const config = loadConfig({ LATCHKEY_DATABASE_URL: `sqlite:${join(dir, 'latchkey.db')}`, LATCHKEY_ROOT_TOKEN: ROOT_TOKEN, ...env });
  const services = await buildServices(config, { logger: createLogger('info', sink), ...(options.clock ? { clock: options.clock } : {}) });
  const app = await buildApp(services);
  await app.ready();
  t.after(async () => {
    await app.close();
    await services.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    app,
    services,
    dir,
    logs: () => captured,
    root: (method, url, body, headers = {}) =>
      app.inject({
        method: method as 'GET',
        url,
        headers: { authorization: `Bearer ${ROOT_TOKEN}`, ...headers },
        ...(body === undefined ? {} : { payload: body as object }),
      }),
    machine: (url, key, headers = {}) => app.inject({ method: 'GET', url, headers: { 'x-api-key': key, ...headers } }),
  };
}

/** Creates a tenant (and optionally a key) through the API; fails the test on any error. */
export async function createTenant(t: TestApp, body: Record<string, unknown> = {}): Promise<{ id: string; plan: string; status: string }> {
  const res = await t.root('POST', '/v1/tenants', { name: 'Acme', ...body });
  if (res.statusCode !== 201) throw new Error(`tenant create failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

export interface IssuedKey {
  key: { id: string; tenant_id: string; name: string; status: string; expires_at: string | null; [field: string]: unknown };
  secret: string;
}

export async function createKey(t: TestApp, tenantId: string, body: Record<string, unknown> = {}): Promise<IssuedKey> {
  const res = await t.root('POST', `/v1/tenants/${tenantId}/keys`, { name: 'prod-order-bot', environment: 'production', ...body });
  if (res.statusCode !== 201) throw new Error(`key create failed: ${res.statusCode} ${res.body}`);
  return res.json();
}
