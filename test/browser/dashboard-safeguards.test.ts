// What the dashboard must not lose or pretend: a second key from a double click, a secret shown once, a session
// that did not end, a scope typed and never added, the sign-in on Back; and what it must not offer (changes to an expired key).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Request } from 'playwright-core';
import type { ApiKey } from '../../web/src/api/types.js';
import { browserSkipReason, ensureDashboardBuilt } from '../support/browser.js';
import { ensureBuilt, eventually, type ServerProcess, startServer } from '../support/processes.js';
import { nav, OPERATOR, openPage, OWNER, rootCall, setUp, signedInOwner } from './dashboard-setup.js';
import { createKeyStepped, stepUp, takeSecret } from './dashboard-steps.js';




async function keysNamed(server: ServerProcess, tenantId: string, name: string): Promise<ApiKey[]> {
  const listed = await rootCall(server, 'GET', `/v1/tenants/${tenantId}/keys`);
  return (listed.body as { data: ApiKey[] }).data.filter((k) => k.name === name);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the dashboard guards what cannot be undone, in Chromium', { skip: browserSkipReason() }, () => {
  before(() => {
    ensureBuilt();
    ensureDashboardBuilt();
  });

  it('makes one key when Generate is clicked again while the call retried after the step-up is still running', async (t) => {
    const { server, page, mailbox, tenantId } = await signedInOwner(t);
    const isCreate = (request: Request) => request.method() === 'POST' && new URL(request.url()).pathname === `/v1/tenants/${tenantId}/keys`;
    let posts = 0;
    // A slow network: the call retried after the step-up takes 1.5 s.
    await page.route(`**/v1/tenants/${tenantId}/keys`, async (route) => {
      if (isCreate(route.request()) && ++posts >= 2) await sleep(1500);
      await route.continue();
    });

    await page.getByRole('button', { name: 'Create key' }).click();
    const create = page.getByRole('dialog', { name: 'Create API key' });
    await create.getByLabel('Name', { exact: true }).fill('prod-double');
    await create.getByRole('button', { name: 'Generate key' }).click();
    await create.getByRole('button', { name: 'Send verification code' }).waitFor();
    const retried = page.waitForRequest(isCreate, { timeout: 10_000 });
    await stepUp(page, mailbox, OWNER);
    await retried;

    const generate = create.locator('button[type="submit"]');
    // Forced: a person clicks whatever the button looks like; a disabled one ignores it.
    await generate.click({ force: true });
    assert.equal(await generate.innerText(), 'Generating…', 'the button says the key is on its way');
    assert.equal(await generate.isDisabled(), true);
    await page.getByRole('dialog', { name: 'Key created' }).waitFor();
    await takeSecret(page);

    assert.equal(posts, 2, 'one refused for the step-up, one retried: no third call');
    assert.equal((await keysNamed(server, tenantId, 'prod-double')).length, 1, 'exactly one key exists');
  });

  it('keeps a secret shown once on screen when Back is pressed, and asks before the page is reloaded', async (t) => {
    const { page, mailbox } = await signedInOwner(t);
    await nav(page, 'Members');
    await nav(page, 'API Access');
    const reveal = await createKeyStepped(page, mailbox, OWNER, 'prod-order-bot');
    await reveal.waitFor();
    const secret = await page.getByTestId('secret-value').inputValue();
    const keysUrl = page.url();

    await page.goBack();
    await reveal.getByRole('alert').getByText('leaving would lose the secret', { exact: false }).waitFor();
    assert.equal(page.url(), keysUrl, 'the address stays on the page that shows the secret');
    assert.equal(await page.getByTestId('secret-value').inputValue(), secret, 'the same secret is still shown');

    // Staying is the answer given here, so the reload never happens and its wait runs out.
    const asked = page.waitForEvent('dialog', { timeout: 5000 });
    const reloaded = page.reload({ timeout: 2000 }).then(
      () => true,
      () => false,
    );
    const dialog = await asked;
    assert.equal(dialog.type(), 'beforeunload', 'reloading asks first');
    await dialog.dismiss();
    assert.equal(await reloaded, false);
    assert.equal(await page.getByTestId('secret-value').inputValue(), secret);

    // Once the secret is stored, Back works as usual.
    assert.equal(await takeSecret(page), secret);
    await page.goBack();
    await page.getByRole('table', { name: 'Members' }).waitFor();
  });

  it('stays signed in, and says so, when the server does not end the session', async (t) => {
    const { server, page } = await signedInOwner(t);
    const signOut = page.getByRole('button', { name: 'Sign out' });
    const stillSignedIn = async () => (await page.request.get(`${server.url}/v1/auth/me`)).status() === 200;

    await page.route('**/v1/auth/logout', (route) => route.abort('connectionrefused'));
    await signOut.click();
    const alert = page.getByRole('alert');
    await alert.getByText('Sign-out failed, so you are still signed in. The server could not be reached', { exact: false }).waitFor();
    assert.ok(await page.getByRole('navigation', { name: 'Main' }).isVisible(), 'the dashboard stays');
    assert.equal(await page.getByLabel('E-mail address').count(), 0, 'no sign-in page while the session lives');
    assert.ok(await stillSignedIn());

    await page.unroute('**/v1/auth/logout');
    const unavailable = { error: 'Service Unavailable', code: 'unavailable', details: 'Storage is unreachable; try again.', request_id: 'req_test' };
    await page.route('**/v1/auth/logout', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify(unavailable) }));
    await signOut.click();
    await alert.getByText('Storage is unreachable; try again.', { exact: false }).waitFor();
    assert.ok(await stillSignedIn());

    await page.unroute('**/v1/auth/logout');
    await signOut.click();
    await page.getByLabel('E-mail address').waitFor();
    assert.equal((await page.request.get(`${server.url}/v1/auth/me`)).status(), 401, 'a sign-out that worked ends the session');
  });

  it('stops at a scope typed but not added, and creates a key with customer IDs and meta', async (t) => {
    const { server, page, mailbox, tenantId } = await signedInOwner(t);
    let posts = 0;
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === `/v1/tenants/${tenantId}/keys`) posts++;
    });
    await page.getByRole('button', { name: 'Create key' }).click();
    const create = page.getByRole('dialog', { name: 'Create API key' });
    await create.getByLabel('Name', { exact: true }).fill('prod-customer-bot');
    const typed = create.getByLabel('Other scope');
    await typed.fill('orders:read');
    await create.getByRole('button', { name: 'Generate key' }).click();

    await create.getByText('Add or clear the scope you typed.').waitFor();
    assert.equal(await typed.getAttribute('aria-invalid'), 'true');
    const describedBy = (await typed.getAttribute('aria-describedby')) ?? '';
    assert.equal(await page.locator(`[id="${describedBy}"]`).innerText(), 'Add or clear the scope you typed.', 'the message is tied to the field');
    assert.equal(posts, 0, 'nothing is sent');

    await create.getByRole('button', { name: 'Add scope' }).click();
    await create.getByText('Add or clear the scope you typed.').waitFor({ state: 'detached' });
    await create.getByLabel('Customer IDs').fill('cus_42, cus_77');
    await create.getByLabel('Meta (JSON)').fill('{"team": "billing"}');
    await create.getByRole('button', { name: 'Generate key' }).click();
    await stepUp(page, mailbox, OWNER);
    await page.getByRole('dialog', { name: 'Key created' }).waitFor();
    await takeSecret(page);

    const [key] = await keysNamed(server, tenantId, 'prod-customer-bot');
    assert.ok(key, 'the key was created');
    const stored = (await rootCall(server, 'GET', `/v1/tenants/${tenantId}/keys/${key.id}`)).body as ApiKey;
    assert.deepEqual(stored.scopes, ['orders:read']);
    assert.deepEqual(stored.customer_ids, ['cus_42', 'cus_77']);
    assert.deepEqual(stored.meta, { team: 'billing' });
  });

  it('shows an expired key read-only, with Revoke as its only action', async (t) => {
    let keyId = '';
    const { server, page, tenantId } = await signedInOwner(t, { before: async ({ cli }, tenant) => {
      // Far enough ahead for the CLI to start on a busy machine (3 s was not, once in CI).
      const soon = new Date(Date.now() + 15_000).toISOString();
      keyId = (await cli<{ key: { id: string } }>(['key', 'create', '--tenant', tenant, '--name', 'short-lived', '--env', 'production', '--expires', soon])).key.id;
    } });
    const expired = await eventually(async () => ((await rootCall(server, 'GET', `/v1/tenants/${tenantId}/keys/${keyId}`)).body as ApiKey).status === 'expired', 30_000);
    assert.ok(expired, 'the key expires');

    await page.getByRole('table', { name: 'API keys' }).getByRole('link', { name: 'short-lived' }).click();
    await page.getByRole('heading', { name: 'short-lived' }).waitFor();
    const actions = await page.getByRole('region', { name: 'Actions' }).getByRole('button').allInnerTexts();
    assert.deepEqual(actions, ['Revoke key']);
    await page.getByText('The key has expired: its secret and settings can no longer change.', { exact: false }).waitFor();
    assert.equal(await page.getByRole('form', { name: 'Key settings' }).count(), 0, 'no settings form');
    assert.equal(await page.getByRole('button', { name: 'Save settings' }).count(), 0);
    await page.getByRole('region', { name: 'Settings' }).getByText('all customers').waitFor();

    await page.getByRole('button', { name: 'Revoke key' }).click();
    const revoke = page.getByRole('dialog', { name: 'Revoke key' });
    await revoke.getByLabel('Type the key name to confirm').fill('short-lived');
    await revoke.getByRole('button', { name: 'Revoke permanently' }).click();
    await revoke.waitFor({ state: 'hidden' });
    assert.equal(((await rootCall(server, 'GET', `/v1/tenants/${tenantId}/keys/${keyId}`)).body as ApiKey).status, 'revoked');
    // The button that opened the dialog left with the revoke: focus goes to the page's heading, not to <body>.
    assert.equal(await page.getByRole('button', { name: 'Revoke key' }).count(), 0);
    assert.equal(await page.getByRole('heading', { name: 'short-lived', level: 1 }).evaluate((el) => el === document.activeElement), true, 'the heading has the focus');
  });

  it("drops the server's last answer when the settings are submitted again", async (t) => {
    const { page } = await signedInOwner(t, { before: async ({ cli }, tenant) => {
      await cli(['key', 'create', '--tenant', tenant, '--name', 'prod-order-bot', '--env', 'production']);
    } });
    await page.getByRole('table', { name: 'API keys' }).getByRole('link', { name: 'prod-order-bot' }).click();
    const settings = page.getByRole('form', { name: 'Key settings' });
    // A scope over 100 characters: only the server checks its length.
    await settings.getByLabel('Other scope').fill(`orders:${'r'.repeat(100)}`);
    await settings.getByRole('button', { name: 'Add scope' }).click();
    await settings.getByRole('button', { name: 'Save settings' }).click();
    const serverAnswer = settings.getByText('Entry 1 must have at most 100 characters.');
    await serverAnswer.waitFor();

    // Another field is edited (the scopes' own edit would drop their problem anyway), and the form sent again.
    await settings.getByLabel('Name', { exact: true }).fill('');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await settings.getByText('Give the key a name.').waitFor();
    assert.equal(await serverAnswer.count(), 0, 'the old server error is gone');
  });

  it('keeps focus in a dialog while its action runs, and returns it to the button that opened the flow', async (t) => {
    const { page, mailbox, tenantId } = await signedInOwner(t, { before: async ({ cli }, tenant) => {
      await cli(['key', 'create', '--tenant', tenant, '--name', 'prod-order-bot', '--env', 'production']);
    } });
    await page.getByRole('table', { name: 'API keys' }).getByRole('link', { name: 'prod-order-bot' }).click();
    const opener = page.getByRole('button', { name: 'Regenerate secret' });
    const focusedText = () =>
      page.evaluate(() => (document.activeElement === document.body ? '<body>' : (document.activeElement?.textContent?.trim() ?? '<nothing>')));
    const conflict = { error: 'Conflict', code: 'conflict', details: 'The key changed meanwhile.', request_id: 'req_test' };
    await page.route(`**/v1/tenants/${tenantId}/keys/*/regenerate`, async (route) => {
      await sleep(300);
      await route.fulfill({ status: 409, contentType: 'application/json', body: JSON.stringify(conflict) });
    });

    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Regenerate secret' });
    await dialog.getByRole('button', { name: 'Regenerate now' }).focus();
    await page.keyboard.press('Enter');
    await dialog.getByRole('alert').getByText('The key changed meanwhile.').waitFor();
    assert.ok(await page.evaluate(() => document.activeElement?.closest('[role="dialog"]') !== null), 'focus stays in the dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 5000 });
    assert.equal(await focusedText(), 'Regenerate secret');

    // Through the step-up to the secret: after Done, focus is back on the button that started it all.
    await page.unroute(`**/v1/tenants/${tenantId}/keys/*/regenerate`);
    await opener.click();
    await dialog.getByRole('button', { name: 'Regenerate now' }).click();
    await stepUp(page, mailbox, OWNER);
    await page.getByRole('dialog', { name: 'Secret regenerated' }).waitFor();
    await takeSecret(page);
    assert.equal(await focusedText(), 'Regenerate secret');
  });

  it('returns focus to Create key after the new secret is stored, through the step-up, all by keyboard', async (t) => {
    const { page, mailbox } = await signedInOwner(t);
    const focusedText = () =>
      page.evaluate(() => (document.activeElement === document.body ? '<body>' : (document.activeElement?.textContent?.trim() ?? '<nothing>')));
    await page.getByRole('button', { name: 'Create key' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Create API key' }).waitFor();
    await page.keyboard.type('prod-order-bot');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Send verification code' }).waitFor();
    const before = mailbox.mails.length;
    await page.keyboard.press('Enter');
    const code = await mailbox.code(OWNER, before);
    await page.getByLabel('Verification code').waitFor();
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
    const reveal = page.getByRole('dialog', { name: 'Key created' });
    await reveal.waitFor();
    await reveal.getByLabel('I have stored this key somewhere safe').check();
    await reveal.getByRole('button', { name: 'Done' }).focus();
    await page.keyboard.press('Enter');
    await reveal.waitFor({ state: 'hidden' });
    assert.equal(await focusedText(), 'Create key');
  });

  it('goes back from the sign-in code to the e-mail step, with the address kept, and signs in', async (t) => {
    const { env, mailbox } = await setUp(t);
    const server = await startServer(t, env);
    const page = await openPage(t);
    await page.goto(server.url);
    const email = page.getByLabel('E-mail address');
    await email.fill(OPERATOR);
    await page.getByRole('button', { name: 'Send sign-in code' }).click();
    const codeStep = page.getByRole('heading', { name: 'Check your e-mail' });
    await codeStep.waitFor();

    await page.goBack();
    await email.waitFor({ timeout: 5000 });
    assert.equal(new URL(page.url()).origin, server.url, 'still in the dashboard');
    assert.equal(await email.inputValue(), OPERATOR, 'the address is kept');
    assert.equal(await email.evaluate((el) => el === document.activeElement), true, 'focus is on the address');

    // Forward returns to the code step for that address; the mailed code signs in.
    await page.goForward();
    await codeStep.waitFor({ timeout: 5000 });
    await page.getByText(`We sent a 6-digit code to ${OPERATOR}.`, { exact: false }).waitFor();
    await page.getByLabel('Sign-in code').fill(await mailbox.code(OPERATOR));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();

    // Signed in, Back leaves for what came before the sign-in page: no step of it is left in the history.
    await page.goBack();
    await page.waitForURL('about:blank', { timeout: 5000 });
  });
});
