// What the dashboard says after something went wrong, and once it is over: a new code asked for right after signing
// out, names that failed to load in an outage, a sign-out that failed, filters in a link that cannot be applied.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSkipReason, ensureDashboardBuilt } from '../support/browser.js';
import { ensureBuilt, eventually, type ServerProcess } from '../support/processes.js';
import { nav, OWNER, rootCall, type SignedIn, signedInOwner } from './dashboard-setup.js';

/** Olivia's tenant with the key "prod-order-bot", called once so that the request log holds one request of it. */
async function withLoggedRequest(t: Parameters<typeof signedInOwner>[0]): Promise<SignedIn & { keyId: string }> {
  let keyId = '';
  let secret = '';
  const signedIn = await signedInOwner(t, { before: async ({ cli }, tenant) => {
    const issued = await cli<{ key: { id: string }; secret: string }>(['key', 'create', '--tenant', tenant, '--name', 'prod-order-bot', '--env', 'production']);
    keyId = issued.key.id;
    secret = issued.secret;
  } });
  const { server, tenantId } = signedIn;
  assert.equal((await fetch(`${server.url}/api/v1/m2m/tenants/${tenantId}/limits`, { headers: { 'x-api-key': secret } })).status, 200);
  assert.ok(await logHolds(server, tenantId, 1), 'the request reaches the log');
  return { ...signedIn, keyId };
}

async function logHolds(server: ServerProcess, tenantId: string, count: number): Promise<boolean> {
  return eventually(async () => ((await rootCall(server, 'GET', `/v1/tenants/${tenantId}/request-logs`)).body as { data: unknown[] }).data.length === count, 10_000);
}

/** Makes the reads that name keys and members (their lists, and keys by id) unreachable, as in an outage; returns how to end it. */
async function failNameLookups(page: Page, tenantId: string): Promise<() => Promise<void>> {
  const keys = `/v1/tenants/${tenantId}/keys`;
  const lookups = (url: URL) => url.pathname === keys || url.pathname.startsWith(`${keys}/`) || url.pathname === `/v1/tenants/${tenantId}/members`;
  await page.route(lookups, (route) => route.abort('connectionrefused'));
  return () => page.unroute(lookups);
}

describe('the dashboard after something went wrong, in Chromium', { skip: browserSkipReason() }, () => {
  before(() => {
    ensureBuilt();
    ensureDashboardBuilt();
  });

  it('says, asked for a code right after signing out, that the code it signed in with is used up', async (t) => {
    const { page } = await signedInOwner(t);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('E-mail address').fill(OWNER);
    await page.getByRole('button', { name: 'Send sign-in code' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The code you signed in with is used up.' });
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /You can ask for a new code in \d+ s\./);
    assert.doesNotMatch(text, /already sent|enter it/i, 'it does not send the user to the used code');
    await page.getByRole('button', { name: /^Send a new code in \d+ s$/ }).waitFor();
    const intro = await page.locator('#code-sent-to').innerText();
    assert.equal(intro, `The last code sent to ${OWNER} was used to sign in, so there is no code to enter yet.`, 'no claim that a code was just sent');
  });

  it('names keys again on Refresh, and keys and members on a new audit filter, after their lists failed to load', async (t) => {
    const { server, page, tenantId, keyId } = await withLoggedRequest(t);
    const added = await rootCall(server, 'POST', `/v1/tenants/${tenantId}/members`, { email: 'victor@acme.example', role: 'viewer' });
    assert.equal(added.status, 201);
    const victor = added.body as { user_id: string };
    assert.equal((await rootCall(server, 'PATCH', `/v1/tenants/${tenantId}/members/${victor.user_id}`, { role: 'developer' })).status, 200);
    assert.equal((await rootCall(server, 'PATCH', `/v1/tenants/${tenantId}/keys/${keyId}`, { name: 'prod-order-bot-2' })).status, 200);

    const endOutage = await failNameLookups(page, tenantId);
    await nav(page, 'Request logs');
    const logs = page.getByRole('table', { name: 'Request logs' });
    await logs.getByRole('link', { name: keyId }).waitFor();
    await endOutage();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await logs.getByRole('link', { name: 'prod-order-bot-2' }).waitFor();
    assert.equal(await logs.getByText(keyId).count(), 0, 'no raw key id once the keys are read');
    await page.getByLabel('Key', { exact: true }).locator('option', { hasText: 'prod-order-bot-2' }).waitFor({ state: 'attached' });

    const endSecondOutage = await failNameLookups(page, tenantId);
    await page.goto(`${server.url}/audit?tenant=${tenantId}&action=member.updated`);
    const audit = page.getByRole('table', { name: 'Audit log' });
    await audit.getByText(`user ${victor.user_id}`).waitFor();
    await endSecondOutage();
    await page.getByLabel('Action').selectOption('key.updated');
    await audit.getByRole('link', { name: 'prod-order-bot-2' }).waitFor();
    await page.getByLabel('Action').selectOption('member.updated');
    await audit.getByText('victor@acme.example').waitFor();
    assert.equal(await audit.getByText(/usr_|key_/).count(), 0, 'no raw ids once the names are read');
  });

  it('drops "Sign-out failed" once a later call succeeds, and lets it be dismissed', async (t) => {
    const { server, page } = await signedInOwner(t);
    const api = (url: URL) => url.pathname.startsWith('/v1/');
    const signOutFailed = page.getByRole('alert').filter({ hasText: 'Sign-out failed, so you are still signed in.' });

    await page.route(api, (route) => route.abort('connectionrefused'));
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signOutFailed.waitFor();
    await page.unroute(api);
    await nav(page, 'Request logs');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await signOutFailed.waitFor({ state: 'detached' });
    assert.equal((await page.request.get(`${server.url}/v1/auth/me`)).status(), 200, 'still signed in, as the message had said');

    await page.route('**/v1/auth/logout', (route) => route.abort('connectionrefused'));
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signOutFailed.waitFor();
    await signOutFailed.getByRole('button', { name: 'Dismiss' }).click();
    assert.equal(await signOutFailed.count(), 0);
  });

  it('shows no requests under filters of a link that cannot be applied, and says which ones', async (t) => {
    const { server, page, tenantId } = await withLoggedRequest(t);
    const logs = page.getByRole('table', { name: 'Request logs' });
    const notApplied = page.getByRole('status').filter({ hasText: 'These filters from the address could not be applied' });

    await page.goto(`${server.url}/logs?tenant=${tenantId}&status=4O1&from=yesterday`);
    await notApplied.waitFor();
    const said = await notApplied.innerText();
    assert.match(said, /HTTP status “4O1” is not a status/);
    assert.match(said, /From “yesterday” is not a date and time/);
    assert.equal(await logs.count(), 0, 'no rows that would pass for filtered by status 4O1');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await logs.getByRole('link', { name: 'prod-order-bot' }).waitFor();
    assert.equal(await notApplied.count(), 0);
    await page.getByLabel('Key', { exact: true }).locator('option', { hasText: 'prod-order-bot' }).waitFor({ state: 'attached' });
    assert.equal(await page.getByLabel('Find a key').count(), 0, 'no search for a tenant whose keys are all offered');

    await page.goto(`${server.url}/logs?tenant=${tenantId}&key=key_nope`);
    await notApplied.getByText('Key “key_nope” is not a key of this tenant.').waitFor();
    assert.equal(await page.getByText('No requests match these filters yet.').count(), 0, 'not said as if the key had no requests');
  });

  it('applies a key filter of a link and names the keys of the rows when the key list lacks them (a cut-short list of a large tenant)', async (t) => {
    const { server, page, tenantId, keyId } = await withLoggedRequest(t);
    // The list of keys answers as if the tenant's keys were beyond what was read of it.
    const list = (url: URL) => url.pathname === `/v1/tenants/${tenantId}/keys`;
    await page.route(list, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ data: [], next_cursor: null }) }));
    const notApplied = page.getByRole('status').filter({ hasText: 'These filters from the address could not be applied' });
    const logs = page.getByRole('table', { name: 'Request logs' });

    await page.goto(`${server.url}/logs?tenant=${tenantId}&key=${keyId}`);
    await logs.getByRole('link', { name: 'prod-order-bot' }).waitFor();
    assert.equal(await notApplied.count(), 0, 'the key was read by its id: it is a key of this tenant');
    assert.match(await page.getByLabel('Key').locator('option:checked').innerText(), /prod-order-bot/, 'the picker names the filtered key');

    await page.goto(`${server.url}/logs?tenant=${tenantId}`);
    await logs.getByRole('link', { name: 'prod-order-bot' }).waitFor();

    // A key read by id in an outage shows as its id, and is read again, and named, with the next answer (Refresh).
    const byId = (url: URL) => url.pathname === `/v1/tenants/${tenantId}/keys/${keyId}`;
    await page.route(byId, (route) => route.abort('connectionrefused'));
    await page.reload();
    await logs.getByRole('link', { name: keyId }).waitFor();
    await page.unroute(byId);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await logs.getByRole('link', { name: 'prod-order-bot' }).waitFor();
    assert.equal(await logs.getByText(keyId).count(), 0, 'no raw key id once the key is read');

    await nav(page, 'Audit log');
    await page.getByRole('table', { name: 'Audit log' }).getByRole('row').filter({ hasText: 'key.created' }).getByRole('link', { name: 'prod-order-bot' }).waitFor();
    await page.unroute(list);
  });
});
