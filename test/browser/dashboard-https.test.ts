// The dashboard over HTTPS: the session cookie there is the `__Host-` one, and the browser keeps and sends it.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { opensslMissing, selfSignedCertificate } from '../support/certificates.js';
import { launchBrowser } from '../support/browser.js';
import { ensureBuilt, startServer, tempDir } from '../support/processes.js';
import { OPERATOR, setUp } from './dashboard-setup.js';
import { signIn } from './dashboard-steps.js';

describe('dashboard over HTTPS', { skip: opensslMissing() }, () => {
  before(() => ensureBuilt());

  it('signs in with a Secure __Host-latchkey_session cookie that survives a reload, and signs out', async (t) => {
    const tls = selfSignedCertificate(tempDir(t));
    const setup = await setUp(t, { LATCHKEY_TLS_CERT: tls.cert, LATCHKEY_TLS_KEY: tls.key });
    const server = await startServer(t, setup.env);
    assert.match(server.url, /^https:/);
    const browser = await launchBrowser(t);
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();

    await signIn(page, server.url, setup.mailbox, OPERATOR);
    const cookies = await context.cookies(server.url);
    assert.deepEqual(cookies.map((c) => [c.name, c.secure, c.httpOnly, c.path, c.sameSite]), [['__Host-latchkey_session', true, true, '/', 'Lax']]);

    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Send sign-in code' }).waitFor();
    assert.deepEqual(await context.cookies(server.url), [], 'signing out clears the cookie');
  });
});
