import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { browserSkipReason, ensureDashboardBuilt, launchBrowser } from '../support/browser.js';
import { ensureBuilt, ROOT, runCli, startServer, tempDir } from '../support/processes.js';
import { signIn, stepUp, takeSecret } from './dashboard-steps.js';
import { startMailbox } from './mailbox.js';

/**
 * The README's screenshots are taken here on every run; they replace the committed ones only when asked
 * (`LATCHKEY_UPDATE_SCREENSHOTS=1 npm test -- test/browser`), so a test run leaves the tree clean.
 */
const UPDATE_SCREENSHOTS = process.env.LATCHKEY_UPDATE_SCREENSHOTS === '1';
const SCREENSHOTS = UPDATE_SCREENSHOTS ? join(ROOT, 'docs', 'screenshots') : mkdtempSync(join(tmpdir(), 'latchkey-screenshots-'));
const ROOT_TOKEN = 'browser-test-root-token-0123456789abcdef';

describe('the dashboard in Chromium', { skip: browserSkipReason() }, () => {
  after(() => {
    if (!UPDATE_SCREENSHOTS) rmSync(SCREENSHOTS, { recursive: true, force: true });
  });

  before(() => {
    ensureBuilt();
    ensureDashboardBuilt();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  it('signs in by e-mail code, creates a key with step-up, uses, rotates and revokes it, and shows the logs', async (t) => {
    const dir = tempDir(t);
    const mailbox = await startMailbox(t);
    const env = {
      LATCHKEY_DATABASE_URL: `sqlite:${join(dir, 'latchkey.db')}`,
      LATCHKEY_SMTP_URL: mailbox.url,
      LATCHKEY_ADMIN_EMAILS: 'ops@example.com',
      LATCHKEY_ROOT_TOKEN: ROOT_TOKEN,
    };
    const tenant = JSON.parse((await runCli(['tenant', 'create', '--name', 'Acme Logistics', '--plan', 'pro', '--json'], env)).stdout) as { id: string };
    assert.equal((await runCli(['member', 'add', '--tenant', tenant.id, '--email', 'olivia@acme.example', '--role', 'owner'], env)).code, 0);
    assert.equal((await runCli(['member', 'add', '--tenant', tenant.id, '--email', 'victor@acme.example', '--role', 'viewer'], env)).code, 0);
    const server = await startServer(t, env);
    const browser = await launchBrowser(t);
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });

    // The dashboard runs under its Content-Security-Policy: anything it refused would show as a console error.
    const cspRefusals: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) cspRefusals.push(message.text());
    });
    const options = page.waitForResponse((r) => r.url().endsWith('/v1/auth/sign-in-options'));
    const document = await page.goto(server.url);
    assert.match(document?.headers()['content-security-policy'] ?? '', /frame-ancestors 'none'/);
    assert.equal(document?.headers()['x-frame-options'], 'DENY');
    await page.getByLabel('E-mail address').waitFor();
    assert.deepEqual(await (await options).json(), { code_in_server_log: false, first_run_operator: null });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    assert.equal(await page.getByText('Fresh install').count(), 0, 'a configured server says nothing of admin@localhost');
    assert.equal(await page.getByText('printed in the terminal').count(), 0, 'nor of codes in its log');
    await page.screenshot({ path: join(SCREENSHOTS, 'sign-in.png') });
    await signIn(page, server.url, mailbox, 'olivia@acme.example');
    await page.getByRole('heading', { name: 'No API keys yet' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'api-access-empty.png') });

    // Create a key: the API asks for a step-up, answered inline, then the secret is shown once.
    await page.getByRole('button', { name: 'Create key' }).click();
    const create = page.getByRole('dialog', { name: 'Create API key' });
    await create.getByLabel('Name', { exact: true }).fill('prod-order-bot');
    await create.getByRole('button', { name: 'Generate key' }).click();
    await stepUp(page, mailbox, 'olivia@acme.example');
    await page.getByRole('dialog', { name: 'Key created' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'secret-reveal.png') });
    const secret = await takeSecret(page);

    const used = await fetch(`${server.url}/api/v1/m2m/tenants/${tenant.id}/limits`, { headers: { 'x-api-key': secret } });
    assert.equal(used.status, 200, 'the copied secret works against the M2M API');

    await page.getByRole('table', { name: 'API keys' }).getByText('prod-order-bot').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'api-access.png') });

    // Key detail: rotate (new secret, shown once), then revoke the old key with a typed confirmation.
    await page.getByRole('table', { name: 'API keys' }).getByRole('link', { name: 'prod-order-bot' }).click();
    await page.getByRole('button', { name: 'Rotate key' }).click();
    await page.getByRole('dialog', { name: 'Rotate key' }).getByRole('button', { name: 'Rotate now' }).click();
    await page.getByRole('dialog', { name: 'Key rotated: the new key' }).waitFor();
    const rotated = await takeSecret(page);
    assert.notEqual(rotated, secret);
    assert.equal((await fetch(`${server.url}/api/v1/m2m/tenants/${tenant.id}/limits`, { headers: { 'x-api-key': rotated } })).status, 200);
    await page.getByRole('heading', { name: 'Rotation' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'key-detail-rotation.png'), fullPage: true });

    await page.getByRole('button', { name: 'Revoke key' }).click();
    const revoke = page.getByRole('dialog', { name: 'Revoke key' });
    await revoke.getByLabel('Type the key name to confirm').fill('prod-order-bot');
    await revoke.getByRole('button', { name: 'Revoke permanently' }).click();
    await revoke.waitFor({ state: 'hidden' });
    // The page is the old key's (its rotation panel led here): revoking it ends the grace period, the new key goes on.
    const refused = await fetch(`${server.url}/api/v1/m2m/tenants/${tenant.id}/limits`, { headers: { 'x-api-key': secret } });
    assert.equal(refused.status, 401);
    assert.equal(((await refused.json()) as { code: string }).code, 'revoked_api_key');
    assert.equal((await fetch(`${server.url}/api/v1/m2m/tenants/${tenant.id}/limits`, { headers: { 'x-api-key': rotated } })).status, 200);

    // The request made with the key shows in the request logs (written in batches within a second or two).
    await new Promise((r) => setTimeout(r, 1500));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Request logs' }).click();
    const logs = page.getByRole('table', { name: 'Request logs' });
    await logs.getByText('/api/v1/m2m/tenants/').first().waitFor();
    await page.getByText("Every call made with this tenant's keys, newest first.").waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'request-logs.png') });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('table', { name: 'Audit log' }).getByText('key.revoked').first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'audit-log.png') });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' }).click();
    await page.getByText('victor@acme.example').first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'members.png') });

    // A narrow screen still shows the page.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API Access' }).click();
    await page.getByRole('button', { name: 'Create key' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'api-access-390.png') });

    // A viewer signs in and finds no way to create keys; the API refuses anyway.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.setViewportSize({ width: 1280, height: 860 });
    await signIn(page, server.url, mailbox, 'victor@acme.example');
    await page.getByRole('table', { name: 'API keys' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Create key' }).count(), 0, 'a viewer sees no create button');
    assert.deepEqual(cspRefusals, [], "nothing refused by the Content-Security-Policy");
  });
});
