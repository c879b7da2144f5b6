import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { BIN, ensureBuilt, eventually, runCli, startServer, tempDir } from '../support/processes.js';

const ROOT_TOKEN = 'process-test-root-token-0123456789abcdef';

describe('the built CLI and server, as a user runs them', () => {
  before(() => ensureBuilt());

  it('stops quietly when whatever reads its output goes away (`latchkey --help | head -1`)', async () => {
    const child = spawn(process.execPath, [BIN, '--help'], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(stderr, '', 'no stack trace');
    assert.equal(code, 0);
  });

  it('creates a tenant and key with the CLI, passes the check, and a CLI revoke reaches the running server', async (t) => {
    const dir = tempDir(t);
    const env = { LATCHKEY_DATABASE_URL: `sqlite:${join(dir, 'latchkey.db')}`, LATCHKEY_ROOT_TOKEN: ROOT_TOKEN };
    const server = await startServer(t, env);
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(server.output(), /Sign in as:\s+admin@localhost/, 'first-run banner names the operator address');
    assert.match(server.output(), /npx latchkey tenant create --name Acme/);

    const tenant = await runCli(['tenant', 'create', '--name', 'Acme', '--json'], env);
    assert.equal(tenant.code, 0, tenant.stderr);
    const tenantId = JSON.parse(tenant.stdout).id as string;
    const created = await runCli(['key', 'create', '--tenant', tenantId, '--name', 'prod-bot', '--env', 'production', '--scope', 'sites:read', '--json'], env);
    assert.equal(created.code, 0, created.stderr);
    const { key, secret } = JSON.parse(created.stdout) as { key: { id: string; start: string; end: string }; secret: string };

    const ok = await runCli(['check', '--url', server.url, '--key', secret, '--tenant', tenantId], env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout.split('\n')[0], `OK: the key ${key.start}…${key.end} works for tenant ${tenantId}.`);
    assert.match(ok.stdout, /scopes:\s+sites:read/);
    assert.doesNotMatch(ok.stdout + ok.stderr, new RegExp(secret), 'check prints only the hint');

    const revoked = await runCli(['key', 'revoke', key.id], env);
    assert.equal(revoked.code, 0, revoked.stderr);
    const refused = await eventually(async () => {
      const res = await fetch(`${server.url}/api/v1/m2m/tenants/${tenantId}/limits`, { headers: { 'x-api-key': secret } });
      return res.status === 401 && ((await res.json()) as { code: string }).code === 'revoked_api_key';
    }, 5000);
    assert.ok(refused, 'the running server refuses the revoked key within 5 seconds');

    const failed = await runCli(['check', '--url', server.url, '--key', secret, '--tenant', tenantId], env);
    assert.equal(failed.code, 1);
    assert.equal(failed.stderr.trim().split('\n').length, 1);
    assert.match(failed.stderr, /^latchkey: 401 revoked_api_key: The key was revoked and can never work again\. Create a new key/);
    assert.doesNotMatch(failed.stdout + failed.stderr, new RegExp(secret));

    assert.equal(await server.stop(), 0, 'SIGTERM shuts the server down cleanly');
    assert.match(server.output(), /"msg":"stopped"/);
  });

  it('stops at start-up with exactly one line naming a bad setting', async (t) => {
    const dir = tempDir(t);
    const result = await runCli(['serve'], { LATCHKEY_DATABASE_URL: `sqlite:${join(dir, 'x.db')}`, LATCHKEY_ROOT_TOKEN: 'short' });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.deepEqual(result.stderr.split('\n'), ['latchkey: LATCHKEY_ROOT_TOKEN must be at least 32 characters long', '']);
  });

  it('answers bad arguments with one line and exit code 2, and a runtime error as JSON with --json', async (t) => {
    const dir = tempDir(t);
    const env = { LATCHKEY_DATABASE_URL: `sqlite:${join(dir, 'x.db')}` };
    for (const args of [['key', 'create', '--name', 'x', '--env', 'production'], ['key', 'create', '--tenant', 't', '--name', 'x', '--env', 'prod'], ['key', 'create', '--tenant', 't', '--name', 'x', '--env', 'production', '--rpm', 'lots'], ['nonsense']]) {
      const result = await runCli(args, env);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.equal(result.stderr.trim().split('\n').length, 1);
      assert.match(result.stderr, /^latchkey: /);
    }
    const json = await runCli(['key', 'create', '--tenant', 'ten_missing', '--name', 'x', '--env', 'production', '--json'], env);
    assert.equal(json.code, 1);
    assert.equal(json.stdout, '');
    assert.deepEqual(JSON.parse(json.stderr), { error: { code: 'not_found', details: 'No tenant ten_missing.' } });
  });
});
