// The built dashboard's files as the server gives them out, also after a rebuild under a running server.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildApp } from '../../src/http/app.js';
import { startTestApp } from '../support/test-app.js';

describe('dashboard files', () => {
  it('serves assets written after start-up (a rebuild), with the dashboard headers, and still refuses paths out of its folder', async (t) => {
    const { services } = await startTestApp(t);
    const outside = mkdtempSync(join(tmpdir(), 'latchkey-web-'));
    const dir = join(outside, 'web');
    mkdirSync(join(dir, 'assets'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), '<script src="/assets/index-old.js"></script>');
    writeFileSync(join(dir, 'assets', 'index-old.js'), 'console.log("old")');
    writeFileSync(join(outside, 'secret.txt'), 'not the dashboard\'s');
    const app = await buildApp({ ...services, dashboardDir: dir });
    t.after(() => app.close());

    assert.equal((await app.inject({ url: '/assets/index-old.js' })).statusCode, 200);
    writeFileSync(join(dir, 'index.html'), '<script src="/assets/index-new.js"></script>');
    writeFileSync(join(dir, 'assets', 'index-new.js'), 'console.log("new")');
    const page = await app.inject({ url: '/keys', headers: { accept: 'text/html' } });
    assert.match(page.body, /index-new\.js/);
    const script = await app.inject({ url: '/assets/index-new.js', headers: { accept: '*/*' } });
    assert.equal(script.statusCode, 200);
    assert.equal(script.body, 'console.log("new")');
    assert.match(String(script.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal((await app.inject({ url: '/assets/missing.js' })).statusCode, 404);
    for (const url of ['/assets/../../secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const res = await app.inject({ url });
      assert.notEqual(res.statusCode, 200, url);
      assert.ok(!res.body.includes("not the dashboard's"), url);
    }
  });

  it('refuses a dashboard address that carries a key in its query string, as every other path does', async (t) => {
    const { services } = await startTestApp(t);
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<p>dashboard</p>');
    writeFileSync(join(dir, 'assets', 'index.js'), 'console.log("js")');
    const app = await buildApp({ ...services, dashboardDir: dir });
    t.after(() => app.close());
    const key = `lk_live_${'a'.repeat(38)}`;

    for (const url of ['/', '/index.html', '/keys', '/assets/index.js']) {
      assert.equal((await app.inject({ url, headers: { accept: 'text/html' } })).statusCode, 200, `${url} without a key`);
      for (const query of [`?api_key=${encodeURIComponent(key)}`, `?apikey=x`, `?from=${encodeURIComponent(key)}`]) {
        const res = await app.inject({ url: url + query, headers: { accept: 'text/html' } });
        assert.equal(res.statusCode, 400, url + query);
        assert.equal(res.json().code, 'api_key_in_query', url + query);
        assert.ok(!res.body.includes('a'.repeat(38)), 'the answer does not repeat the key');
        assert.ok(res.headers['x-request-id'], 'the answer carries its request id');
      }
    }
  });
});
