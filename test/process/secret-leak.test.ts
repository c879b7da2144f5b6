import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { generateKey } from '../../src/core/key-format.js';
import { ensureBuilt, runCli, startServer, tempDir } from '../support/processes.js';

const ROOT_TOKEN = 'leak-test-root-token-0123456789abcdefghij';

describe('secrets never reach storage or logs', () => {
  before(() => ensureBuilt());

  it('keeps every issued secret out of the SQLite files and the server output', async (t) => {
    const dir = tempDir(t);
    const env = { LATCHKEY_DATABASE_URL: `sqlite:${join(dir, 'latchkey.db')}`, LATCHKEY_ROOT_TOKEN: ROOT_TOKEN, LATCHKEY_LOG_LEVEL: 'trace' };
    const server = await startServer(t, env);
    const secrets: string[] = [ROOT_TOKEN];
    const cli = async (...args: string[]) => {
      const run = await runCli([...args, '--json'], env);
      assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
      return JSON.parse(run.stdout) as Record<string, any>;
    };

    const cliToken = (await cli('root-token', 'create', '--name', 'ci')).token as string;
    secrets.push(cliToken);
    const api = async (method: string, path: string, body?: unknown, auth = cliToken) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${auth}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };

    // Keys issued through the API (with both kinds of root token) and through the CLI.
    const tenant = (await api('POST', '/v1/tenants', { name: 'Leaky', plan: 'pro' })).body;
    const created = (await api('POST', `/v1/tenants/${tenant.id}/keys`, { name: 'a', environment: 'production' }, ROOT_TOKEN)).body;
    secrets.push(created.secret);
    const regenerated = (await api('POST', `/v1/tenants/${tenant.id}/keys/${created.key.id}/regenerate`)).body;
    secrets.push(regenerated.secret);
    const rotated = await api('POST', `/v1/tenants/${tenant.id}/keys/${created.key.id}/rotate`, { grace_period_seconds: 60 });
    assert.equal(rotated.status, 201);
    secrets.push(rotated.body.secret);
    const staging = (await api('POST', `/v1/tenants/${tenant.id}/keys`, { name: 'b', environment: 'staging', allowed_ips: ['10.0.0.0/8'] })).body;
    secrets.push(staging.secret);
    const cliKey = await cli('key', 'create', '--tenant', tenant.id, '--name', 'cli', '--env', 'production');
    secrets.push(cliKey.secret);
    secrets.push((await cli('key', 'rotate', cliKey.key.id)).secret);
    secrets.push((await cli('key', 'regenerate', cliKey.key.id)).secret);
    const unknown = generateKey('production');
    const badChecksum = `${unknown.slice(0, -1)}${unknown.endsWith('a') ? 'b' : 'a'}`;
    secrets.push(unknown, badChecksum);
    assert.equal(new Set(secrets).size, secrets.length);

    // Every way a key travels: headers, bearer, a query string (refused unread), a path, the verify API, the CLI check.
    for (const secret of secrets.slice(2)) {
      await fetch(`${server.url}/api/v1/m2m/tenants/${tenant.id}/limits`, { headers: { 'x-api-key': secret } });
      await fetch(`${server.url}/api/v1/m2m/health`, { headers: { authorization: `Bearer ${secret}` } });
      await fetch(`${server.url}/api/v1/m2m/health`, { headers: { 'x-api-key': secret, authorization: `Bearer ${secret}x` } });
      await fetch(`${server.url}/api/v1/m2m/health?api_key=${secret}`);
      await fetch(`${server.url}/v1/${secret}`);
      await api('POST', '/v1/keys/verify', { key: secret });
      await runCli(['check', '--url', server.url, '--key', secret, '--tenant', tenant.id], env);
    }
    await api('GET', '/v1/tenants', undefined, `${ROOT_TOKEN}-wrong`);
    await api('GET', '/v1/tenants', undefined, `${cliToken.slice(0, -1)}x`);
    assert.equal((await api('GET', `/v1/tenants/${tenant.id}/keys`)).status, 200);

    // A clean stop flushes the batched request logs and last-use stamps before the files are read.
    assert.equal(await server.stop(), 0);
    const listed = await runCli(['key', 'list', '--tenant', tenant.id, '--json'], env);
    assert.ok((JSON.parse(listed.stdout).data as { last_used_at: string | null }[]).some((k) => k.last_used_at !== null), 'the requests were recorded');

    const files = readdirSync(dir).filter((f) => f.startsWith('latchkey.db'));
    assert.ok(files.includes('latchkey.db'));
    const stored = Buffer.concat(files.map((f) => readFileSync(join(dir, f))));
    assert.ok(stored.includes(cliKey.key.id) && stored.includes(tenant.id), 'the files read hold the data');
    const output = server.output();
    assert.match(output, /Latchkey is listening/);
    for (const secret of secrets) {
      assert.equal(stored.includes(secret), false, `a secret (${secret.slice(0, 8)}…) is in the database files`);
      assert.equal(output.includes(secret), false, `a secret (${secret.slice(0, 8)}…) is in the server output`);
      // The random body alone (a prefix-stripped copy) must not be there either.
      const body = secret.slice(secret.lastIndexOf('_') + 1);
      assert.equal(stored.includes(body), false, 'a key body is in the database files');
      assert.equal(output.includes(body), false, 'a key body is in the server output');
    }
  });
});
