import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer } from 'node:net';
import { request } from 'node:https';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { banner, safeDatabaseUrl } from '../../src/cli/commands/serve.js';
import { loadConfig } from '../../src/config.js';
import { opensslMissing, selfSignedCertificate } from '../support/certificates.js';
import { adminRows, postgresSkipReason, postgresTarget, TEST_DATABASE_URL } from '../support/databases.js';
import { RedisProxy } from '../support/redis.js';
import type { Cleanup } from '../support/test-app.js';
import { type CliRun, type CliWorld, cliWorld, lines, ROOT_TOKEN } from './cli-harness.js';

/** stdout of an in-process `serve`, with a wait for the banner's address. */
class ServerOutput {
  text = '';
  private waiters: (() => void)[] = [];
  write(text: string): boolean {
    this.text += text;
    for (const wake of this.waiters.splice(0)) wake();
    return true;
  }
  async url(): Promise<string> {
    const end = Date.now() + 10_000;
    for (;;) {
      const match = /listening on (https?:\/\/\S+)|"url":"(https?:\/\/[^"]+)"/.exec(this.text);
      if (match?.[2]) return match[2];
      if (match?.[1]) return match[1];
      if (Date.now() > end) throw new Error(`no banner:\n${this.text}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }
}

/** Runs `latchkey serve` in this process until the test stops it (as SIGINT would). */
function serve(t: Cleanup, world: CliWorld, env: Record<string, string> = {}, args: string[] = []) {
  const output = new ServerOutput();
  const controller = new AbortController();
  const done: Promise<CliRun> = world.run(['serve', ...args], { LATCHKEY_PORT: '0', ...env }, { signal: controller.signal, stdout: output });
  t.after(async () => {
    controller.abort();
    await done;
  });
  return {
    output,
    stop: async () => {
      controller.abort();
      return done;
    },
    done,
  };
}

/** A served PostgreSQL database behind a TCP proxy that can be cut (`stop`) or made to stop answering (`hang`). */
async function serveBehindProxy(t: Cleanup, shutdownSeconds: string) {
  const target = await postgresTarget();
  t.after(() => target.cleanup());
  const proxy = await RedisProxy.start(t, TEST_DATABASE_URL);
  const viaProxy = new URL(target.url);
  viaProxy.port = new URL(proxy.url).port;
  const world = cliWorld(t);
  const server = serve(t, world, { LATCHKEY_DATABASE_URL: viaProxy.toString(), LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS: shutdownSeconds });
  return { target, proxy, server, url: await server.output.url() };
}

/** A tenant and a key of it, made through the running server's API with the root token. */
async function tenantWithKey(url: string): Promise<{ tenantId: string; keyId: string; secret: string }> {
  const root = { authorization: `Bearer ${ROOT_TOKEN}`, 'content-type': 'application/json' };
  const tenant = (await (await fetch(`${url}/v1/tenants`, { method: 'POST', headers: root, body: JSON.stringify({ name: 'Acme' }) })).json()) as { id: string };
  const created = (await (await fetch(`${url}/v1/tenants/${tenant.id}/keys`, { method: 'POST', headers: root, body: JSON.stringify({ name: 'bot', environment: 'production' }) })).json()) as { key: { id: string }; secret: string };
  return { tenantId: tenant.id, keyId: created.key.id, secret: created.secret };
}

describe('latchkey serve (in-process)', () => {
  it('prints the first-run banner with the bound address, answers /healthz, and stops cleanly with exit code 0', async (t) => {
    const world = cliWorld(t, { LATCHKEY_ROOT_TOKEN: '' });
    const server = serve(t, world);
    const url = await server.output.url();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(new URL(url).port, '0', 'the banner shows the port the system picked');
    const banner = server.output.text;
    assert.match(banner, new RegExp(`Dashboard:\\s+${url}/`));
    assert.match(banner, /Sign in as:\s+admin@localhost/);
    assert.match(banner, /Sign-in code: printed in this terminal/);
    assert.match(banner, /npx latchkey tenant create --name Acme/);
    assert.match(banner, /npx latchkey key create --tenant <tenant id> --name prod-order-bot --env production/);
    assert.match(banner, /npx latchkey root-token create --name ops/, 'without a root token, says how to make one');

    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    const stopped = await server.stop();
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.equal(stopped.stderr, '');
    assert.match(server.output.text, /"msg":"stopped"/);
    await assert.rejects(fetch(`${url}/healthz`), 'the port is closed after the shutdown');
  });

  it('drains for LATCHKEY_SHUTDOWN_DRAIN_SECONDS on a stop: /readyz fails while requests are still served, each closing its connection', { timeout: 30_000 }, async (t) => {
    const world = cliWorld(t);
    const server = serve(t, world, { LATCHKEY_SHUTDOWN_DRAIN_SECONDS: '3' });
    const url = await server.output.url();
    const { tenantId, secret } = await tenantWithKey(url);
    assert.equal((await fetch(`${url}/readyz`)).status, 200);
    const stopping = server.stop();
    let readiness = await fetch(`${url}/readyz`);
    for (let i = 0; i < 20 && readiness.status === 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      readiness = await fetch(`${url}/readyz`);
    }
    assert.equal(readiness.status, 503);
    assert.deepEqual(((await readiness.json()) as { checks: Record<string, boolean> }).checks, { storage: true, serving: false });
    const call = await fetch(`${url}/api/v1/m2m/tenants/${tenantId}/limits`, { headers: { 'x-api-key': secret } });
    assert.equal(call.status, 200, 'machine requests are still served while draining');
    assert.equal(call.headers.get('connection'), 'close', 'and their connections closed, so that keep-alive clients move on');
    const stopped = await stopping;
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(server.output.text, /"msg":"draining: \/readyz fails while requests are still served/);
    await assert.rejects(fetch(`${url}/healthz`), 'the port is closed after the drain and the shutdown');
  });

  // The tests' own limits only stop a hang: without the shutdown timeout, these stops would wait for ever. The timeout
  // is 3 s, not 1: it bounds the storage flush after the cut too, which took over a second on a loaded CI machine.
  it('cuts a client stalled mid-request at LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS and still stops with exit code 0', { timeout: 30_000 }, async (t) => {
    const world = cliWorld(t);
    const server = serve(t, world, { LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS: '3' });
    const url = new URL(await server.output.url());
    const client = connect(Number(url.port), url.hostname);
    t.after(() => void client.destroy());
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.on('error', () => undefined);
    // One whole request first, answered: the server has this connection in hand.
    const answered = new Promise<void>((resolve) => client.once('data', () => resolve()));
    client.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await answered;
    // Then headers and a tenth of a body, and nothing more: a request in flight that never completes.
    client.write('POST /v1/auth/otp HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stopped = await server.stop();
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(server.output.text, /connections still busy at the shutdown timeout/);
    assert.match(server.output.text, /"msg":"stopped"/);
    await closed;
  });

  it('logs and counts a gateway request whose connection is cut at LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS (status 499)', { timeout: 30_000 }, async (t) => {
    let arrived: () => void = () => {};
    const atUpstream = new Promise<void>((resolve) => (arrived = resolve));
    const upstream = createHttpServer((_request, response) => {
      arrived();
      const timer = setTimeout(() => response.end('{}'), 60_000);
      response.on('close', () => clearTimeout(timer));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise((resolve) => upstream.close(resolve)));
    const world = cliWorld(t);
    const configFile = join(world.dir, 'latchkey.config.json');
    writeFileSync(configFile, JSON.stringify({ routes: [{ path: '/api/v1/m2m/tenants/:tenantId/slow', methods: ['GET'], upstream: `http://127.0.0.1:${(upstream.address() as { port: number }).port}` }] }));
    const server = serve(t, world, { LATCHKEY_CONFIG: configFile, LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS: '3' });
    const created = await tenantWithKey(await server.output.url());
    const slow = fetch(`${await server.output.url()}/api/v1/m2m/tenants/${created.tenantId}/slow`, { headers: { 'x-api-key': created.secret } }).then((r) => r.status, () => 'cut');
    // Stopped while the upstream holds the request: its answer would come after the shutdown timeout.
    await atUpstream;
    const stopped = await server.stop();
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.equal(await slow, 'cut');
    const services = await world.services();
    const rows = await services.database.db.selectFrom('request_logs').select(['key_id', 'status']).execute();
    assert.deepEqual(rows, [{ key_id: created.keyId, status: 499 }]);
  });

  it('gives up on storage that does not answer at LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS: exit code 1, saying request logs are lost', { skip: postgresSkipReason(), timeout: 30_000 }, async (t) => {
    const { proxy, server, url } = await serveBehindProxy(t, '1');
    assert.equal((await fetch(`${url}/v1/tenants`, { headers: { authorization: `Bearer ${ROOT_TOKEN}` } })).status, 200);
    proxy.hang();
    // The readiness check gives up on its query after its own timeout; the query stays stuck on a pooled connection.
    assert.equal((await fetch(`${url}/readyz`)).status, 503);
    const stopped = await server.stop();
    assert.equal(stopped.code, 1);
    assert.match(stopped.stderr, /storage did not flush and close within 1 s \(LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS\); request logs not written yet are lost/);
  });

  it('writes request logs queued while storage was cut when it comes back within LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS (exit 0), and exits 1 saying so when it does not', { skip: postgresSkipReason(), timeout: 60_000 }, async (t) => {
    for (const back of [true, false]) {
      const { target, proxy, server, url } = await serveBehindProxy(t, '4');
      const created = await tenantWithKey(url);
      const limits = `${url}/api/v1/m2m/tenants/${created.tenantId}/limits`;
      // Cached by the first request; the next ten are answered from the cache while storage is cut, and queued.
      assert.equal((await fetch(limits, { headers: { 'x-api-key': created.secret } })).status, 200);
      await proxy.stop();
      for (let i = 0; i < 10; i++) assert.equal((await fetch(limits, { headers: { 'x-api-key': created.secret } })).status, 200);
      const stopping = server.stop();
      // Storage back 1.5 s into the stop, awaited before any assertion: a late restart would outlive the test.
      const restarted = back ? new Promise((resolve) => setTimeout(resolve, 1500)).then(() => proxy.start()) : undefined;
      const stopped = await stopping;
      await restarted;
      if (back) {
        assert.equal(stopped.code, 0, stopped.stderr);
        const [logged] = await adminRows<{ n: number }>(`select count(*)::int as n from "${target.schema}".request_logs`);
        assert.equal(logged?.n, 11, 'every answered request is in the log');
      } else {
        assert.equal(stopped.code, 1);
        assert.match(stopped.stderr, /storage stayed out of reach for 4 s after the stop \(LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS\); request logs and usage counts not written yet are lost/);
        assert.match(server.output.text, /"requests":11,/, "the line says how many requests were not written");
      }
    }
  });

  it('leaves the first-run lines out when operator e-mails are configured, and prints JSON with --json', async (t) => {
    const world = cliWorld(t, { LATCHKEY_ADMIN_EMAILS: 'ops@example.com' });
    const server = serve(t, world, {}, ['--json']);
    const url = await server.output.url();
    assert.doesNotMatch(server.output.text, /admin@localhost/);
    // stdout holds the log lines (JSON too) and one result line.
    const results = lines(server.output.text).map((line) => JSON.parse(line) as Record<string, unknown>).filter((o) => 'first_run' in o);
    assert.deepEqual(results, [{ url, environment: 'production', first_run: false }]);
    assert.equal((await server.stop()).code, 0);
  });

  it('serves HTTPS when both PEM files are set; check explains plain HTTP against it and an untrusted certificate', { skip: opensslMissing() }, async (t) => {
    const world = cliWorld(t);
    const { cert, key } = selfSignedCertificate(world.dir);
    const server = serve(t, world, { LATCHKEY_TLS_CERT: cert, LATCHKEY_TLS_KEY: key });
    const url = await server.output.url();
    assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const status = await new Promise<number>((resolve, reject) => {
      request(`${url}/healthz`, { rejectUnauthorized: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject).end();
    });
    assert.equal(status, 200);

    const tenantId = (await world.run(['tenant', 'create', '--name', 'Acme', '--json'])).json().id as string;
    const secret = (await world.run(['key', 'create', '--tenant', tenantId, '--name', 'k', '--env', 'production', '--json'])).json().secret as string;
    const plain = await world.run(['check', '--url', url.replace('https:', 'http:'), '--key', secret, '--tenant', tenantId]);
    assert.equal(plain.code, 1);
    assert.match(plain.stderr, /closed the connection without an answer\. If the server runs HTTPS .* use https:\/\//);
    const untrusted = await world.run(['check', '--url', url, '--key', secret, '--tenant', tenantId]);
    assert.equal(untrusted.code, 1);
    assert.match(untrusted.stderr, /TLS certificate of https:\/\/127\.0\.0\.1:\d+ is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\)\. .*NODE_EXTRA_CA_CERTS/);
    assert.equal((await server.stop()).code, 0);
  });

  it('stops at start-up with one line for an unreadable PEM file or a port in use', async (t) => {
    const world = cliWorld(t);
    const missing = await world.run(['serve'], { LATCHKEY_PORT: '0', LATCHKEY_TLS_CERT: join(world.dir, 'nope.pem'), LATCHKEY_TLS_KEY: join(world.dir, 'nope.key') });
    assert.equal(missing.code, 1);
    assert.deepEqual(lines(missing.stderr), [`latchkey: LATCHKEY_TLS_CERT: cannot read the file ${join(world.dir, 'nope.pem')}`]);

    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise((resolve) => blocker.close(resolve)));
    const port = String((blocker.address() as { port: number }).port);
    const busy = await world.run(['serve'], { LATCHKEY_PORT: port });
    assert.equal(busy.code, 1);
    assert.equal(lines(busy.stderr).length, 1);
    assert.match(busy.stderr, new RegExp(`^latchkey: cannot listen on 127\\.0\\.0\\.1:${port} \\(LATCHKEY_HOST, LATCHKEY_PORT\\): listen EADDRINUSE`));

    // A host that is no address of this machine is about the listen address, not the database.
    const badHost = await world.run(['serve'], { LATCHKEY_PORT: '0', LATCHKEY_HOST: 'no-such-host.invalid' });
    assert.equal(badHost.code, 1);
    assert.match(badHost.stderr, /^latchkey: cannot listen on no-such-host\.invalid:0 \(LATCHKEY_HOST, LATCHKEY_PORT\): /);
    assert.doesNotMatch(badHost.stderr, /DATABASE/);

    // A SQLite file that cannot be made names the setting.
    writeFileSync(join(world.dir, 'a-file'), '');
    const unwritable = await world.run(['serve'], { LATCHKEY_PORT: '0', LATCHKEY_DATABASE_URL: `sqlite:${join(world.dir, 'a-file', 'latchkey.db')}` });
    assert.equal(unwritable.code, 1);
    assert.equal(lines(unwritable.stderr).length, 1);
    assert.match(unwritable.stderr, /LATCHKEY_DATABASE_URL/);
  });

  it('stops at start-up naming the variables when the PEM files are not a certificate and its own key, or one is a directory', { skip: opensslMissing() }, async (t) => {
    const world = cliWorld(t);
    for (const name of ['one', 'other']) mkdirSync(join(world.dir, name));
    const one = selfSignedCertificate(join(world.dir, 'one'));
    const other = selfSignedCertificate(join(world.dir, 'other'));
    for (const [cert, key] of [[one.cert, other.key], [one.key, one.cert]] as const) {
      const run = await world.run(['serve'], { LATCHKEY_PORT: '0', LATCHKEY_TLS_CERT: cert, LATCHKEY_TLS_KEY: key });
      assert.equal(run.code, 1);
      assert.equal(lines(run.stderr).length, 1, run.stderr);
      assert.match(run.stderr, /^latchkey: LATCHKEY_TLS_CERT and LATCHKEY_TLS_KEY must be a PEM certificate and its own private key \(/);
    }
    const directory = await world.run(['serve'], { LATCHKEY_PORT: '0', LATCHKEY_TLS_CERT: world.dir, LATCHKEY_TLS_KEY: one.key });
    assert.deepEqual(lines(directory.stderr), [`latchkey: LATCHKEY_TLS_CERT: cannot read the file ${world.dir} (it is a directory)`]);
  });
});

describe('the serve banner', () => {
  it('shows no part of a database password, in the user info or the query', () => {
    const cases: [string, string][] = [
      ['postgres://app:p@ssw0rd@db/lk', 'postgres://app:***@db/lk'],
      ['postgres://app:p%40ssw0rd@db:5432/lk', 'postgres://app:***@db:5432/lk'],
      ['postgres://app@db/lk?password=ssw0rd', 'postgres://app@db/lk?password=***'],
      // pg decodes parameter names: an encoded "password" is one too. Key paths are no secret.
      ['postgresql://app@db/lk?sslmode=verify-full&sslkey=/etc/lk/client.key&sslpassword=ssw0rd&pass%77ord=ssw0rd&schema=lk',
        'postgresql://app@db/lk?sslmode=verify-full&sslkey=/etc/lk/client.key&sslpassword=***&pass%77ord=***&schema=lk'],
      // An unencoded '#', '/' or '?' in the password: where it ends cannot be told, so only the scheme shows.
      ['postgres://app:p#ssw0rd@db/lk', 'postgres://***'],
      ['postgres://app:12/ssw0rd@db/lk', 'postgres://***'],
      ['postgres://app:12?ssw0rd@db/lk', 'postgres://***'],
      ['postgresql://app:ssw0rd@/lk?host=/var/run/postgresql', 'postgresql://***'],
      ['sqlite:./data/latchkey.db', 'sqlite:./data/latchkey.db'],
      ['sqlite::memory:', 'sqlite::memory:'],
    ];
    for (const [url, shown] of cases) {
      assert.equal(safeDatabaseUrl(url), shown, url);
      assert.doesNotMatch(safeDatabaseUrl(url), /ssw0rd/, url);
    }
  });

  it('says when the node does not log every machine request', () => {
    const errorsOnly = banner(loadConfig({ LATCHKEY_REQUEST_LOG: 'errors', LATCHKEY_DATABASE_URL: 'sqlite:x.db' }), 'http://127.0.0.1:8080');
    assert.match(errorsOnly, /^Latchkey is listening on http:\/\/127\.0\.0\.1:8080 \(serving production; database sqlite:x\.db; request log: errors only\)$/m, 'a node that does not log every request says so');
    assert.match(banner(loadConfig({ LATCHKEY_REQUEST_LOG: 'off', LATCHKEY_DATABASE_URL: 'sqlite:x.db' }), 'http://127.0.0.1:8080'), /; request log off\)$/m);
    assert.doesNotMatch(banner(loadConfig({ LATCHKEY_DATABASE_URL: 'sqlite:x.db' }), 'http://127.0.0.1:8080'), /request log/, 'the default goes unsaid');
  });

  it('sends the browser to localhost when listening on every interface, and to LATCHKEY_PUBLIC_URL when set', () => {
    const everywhere = banner(loadConfig({ LATCHKEY_HOST: '0.0.0.0', LATCHKEY_DATABASE_URL: 'postgres://lk:hunter2@db:5432/lk' }), 'http://0.0.0.0:8080');
    assert.match(everywhere, /^Latchkey is listening on http:\/\/0\.0\.0\.0:8080 \(serving production; database postgres:\/\/lk:\*\*\*@db:5432\/lk\)$/m);
    assert.match(everywhere, /Dashboard:\s+http:\/\/localhost:8080\/$/m);
    assert.doesNotMatch(everywhere, /hunter2/, 'no database password in the banner');
    const proxied = banner(loadConfig({ LATCHKEY_PUBLIC_URL: 'https://keys.example.com', LATCHKEY_DATABASE_URL: 'sqlite:x.db' }), 'http://127.0.0.1:8080');
    assert.match(proxied, /Dashboard:\s+https:\/\/keys\.example\.com\/$/m);
    assert.match(proxied, /from another terminal, with the same LATCHKEY_DATABASE_URL set:$/m, 'the CLI hints name the database they need');
    assert.match(banner(loadConfig({}), 'http://127.0.0.1:8080'), /Create a first tenant and key from another terminal:$/m);
  });
});
