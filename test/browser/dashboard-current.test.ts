// What the dashboard must show as it is now, not as it was: no rows of an earlier answer under new filters, a
// session that ended said to have ended, a key or a role changed elsewhere shown changed, an unknown address as one.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { ApiKey } from '../../web/src/api/types.js';
import { browserSkipReason, ensureDashboardBuilt, launchBrowser } from '../support/browser.js';
import { ensureBuilt, eventually, startServer } from '../support/processes.js';
import { nav, OPERATOR, openPage, OWNER, ROOT_TOKEN, rootCall, setUp, signedInOwner } from './dashboard-setup.js';
import { deactivateKey, signIn } from './dashboard-steps.js';




const SESSION_ENDED = 'Your session ended; sign in again.';

describe('the dashboard shows what is true now, in Chromium', { skip: browserSkipReason() }, () => {
  before(() => {
    ensureBuilt();
    ensureDashboardBuilt();
  });

  it('shows no rows of the last answer under filters whose own answer failed', async (t) => {
    let secret = '';
    const { server, page, tenantId } = await signedInOwner(t, { before: async ({ cli }, tenant) => {
      secret = (await cli<{ secret: string }>(['key', 'create', '--tenant', tenant, '--name', 'prod-live', '--env', 'production'])).secret;
      const old = await cli<{ key: { id: string } }>(['key', 'create', '--tenant', tenant, '--name', 'prod-old', '--env', 'production']);
      await cli(['key', 'revoke', old.key.id]);
    } });
    const table = page.getByRole('table', { name: 'API keys' });
    await table.getByRole('link', { name: 'prod-old' }).waitFor();

    // The server cannot be reached for the new filter.
    const activeKeys = (url: URL) => url.pathname === `/v1/tenants/${tenantId}/keys` && url.searchParams.get('status') === 'active';
    await page.route(activeKeys, (route) => route.abort('connectionrefused'));
    await page.getByLabel('Status').selectOption('active');
    await page.getByRole('alert').getByText('The server could not be reached', { exact: false }).waitFor();
    assert.equal(await table.count(), 0, 'no table of all keys under the filter "active"');
    assert.equal(await page.getByText('prod-old').count(), 0, 'the revoked key is not shown as if it were active');

    // A range that ends before it starts is refused by the form, before it is sent: the rows stay.
    assert.equal((await fetch(`${server.url}/api/v1/m2m/tenants/${tenantId}/limits`, { headers: { 'x-api-key': secret } })).status, 200);
    const logged = await eventually(async () => ((await rootCall(server, 'GET', `/v1/tenants/${tenantId}/request-logs`)).body as { data: unknown[] }).data.length === 1, 10_000);
    assert.ok(logged, 'the request reaches the log');
    await nav(page, 'Request logs');
    const logs = page.getByRole('table', { name: 'Request logs' });
    await logs.waitFor();
    await page.getByLabel('From (UTC)').fill('2026-12-02T10:00');
    await page.getByLabel('To (UTC)').fill('2026-12-01T10:00');
    await page.getByText('From must not be after To.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Apply filters' }).isDisabled(), true);
    assert.equal(await logs.count(), 1, 'the rows stay');
  });

  it('says that the session ended, and signs in again onto the same page', async (t) => {
    const setup = await setUp(t);
    const tenant = await setup.cli<{ id: string }>(['tenant', 'create', '--name', 'Acme Logistics', '--plan', 'pro']);
    await setup.cli(['member', 'add', '--tenant', tenant.id, '--email', OWNER, '--role', 'owner']);
    // Signs in the second time: a new code for Olivia would wait out the 60-second cooldown of her first one.
    await setup.cli(['member', 'add', '--tenant', tenant.id, '--email', 'adam@acme.example', '--role', 'admin']);
    const server = await startServer(t, setup.env);
    // Two tabs of one browser window share the session cookie.
    const context = await (await launchBrowser(t)).newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const notice = page.getByText(SESSION_ENDED);

    await page.goto(server.url);
    await page.getByLabel('E-mail address').waitFor();
    assert.equal(await notice.count(), 0, 'a first visit has nothing to explain');
    await signIn(page, server.url, setup.mailbox, OWNER);
    await nav(page, 'Request logs');
    await page.getByRole('heading', { name: 'Request logs' }).waitFor();
    const logsUrl = page.url();

    // Signed out in another tab of the same browser.
    const otherTab = await context.newPage();
    await otherTab.goto(server.url);
    await otherTab.getByRole('button', { name: 'Sign out' }).click();
    await otherTab.getByLabel('E-mail address').waitFor();
    assert.equal(await otherTab.getByText(SESSION_ENDED).count(), 0, 'signing out on purpose needs no explanation');

    await page.getByRole('button', { name: 'Refresh' }).click();
    await notice.waitFor();
    assert.equal(page.url(), logsUrl, 'the address stays');

    const before = setup.mailbox.mails.length;
    await page.getByLabel('E-mail address').fill('adam@acme.example');
    await page.getByRole('button', { name: 'Send sign-in code' }).click();
    await page.getByLabel('Sign-in code').fill(await setup.mailbox.code('adam@acme.example', before));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Request logs' }).waitFor();
    assert.equal(page.url(), logsUrl, 'back on the page where the session ended');
  });

  it('reloads a key that was revoked elsewhere when an action on it conflicts', async (t) => {
    let keyId = '';
    const { server, page, tenantId } = await signedInOwner(t, { before: async ({ cli }, tenant) => {
      keyId = (await cli<{ key: { id: string } }>(['key', 'create', '--tenant', tenant, '--name', 'prod-order-bot', '--env', 'production'])).key.id;
    } });
    await page.getByRole('table', { name: 'API keys' }).getByRole('link', { name: 'prod-order-bot' }).click();
    const badges = page.locator('.badges');
    await badges.getByText('active', { exact: true }).waitFor();

    // Another tab revokes it.
    assert.equal((await rootCall(server, 'POST', `/v1/tenants/${tenantId}/keys/${keyId}/revoke`)).status, 200);
    await deactivateKey(page);
    await page.getByRole('alert').getByText('The key was changed elsewhere', { exact: false }).waitFor();
    await badges.getByText('revoked', { exact: true }).waitFor();
    assert.equal(await badges.getByText('active', { exact: true }).count(), 0, 'the badge says what the key is now');
    assert.equal(await page.getByRole('region', { name: 'Actions' }).count(), 0, 'a revoked key offers no actions');
    assert.equal(await page.getByRole('button', { name: 'Save settings' }).count(), 0, 'nor a settings form');
  });

  it('refuses a save of an out-of-date key page, shows the key as it is now with the edits kept, names a field both changed, and saves the second time', async (t) => {
    let keyId = '';
    const { server, page, tenantId } = await signedInOwner(t, { before: async ({ cli }, tenant) => {
      keyId = (await cli<{ key: { id: string } }>(['key', 'create', '--tenant', tenant, '--name', 'prod-order-bot', '--env', 'production'])).key.id;
    } });
    const keyPath = `/v1/tenants/${tenantId}/keys/${keyId}`;
    const stored = async () => (await rootCall(server, 'GET', keyPath)).body as ApiKey;
    const sent: Array<{ body: unknown; ifMatch: string | undefined; status: number }> = [];
    page.on('response', (response) => {
      const request = response.request();
      if (request.method() === 'PATCH' && new URL(request.url()).pathname === keyPath) {
        sent.push({ body: request.postDataJSON(), ifMatch: request.headers()['if-match'], status: response.status() });
      }
    });
    const versionNow = async () => (await fetch(`${server.url}${keyPath}`, { headers: { authorization: `Bearer ${ROOT_TOKEN}` } })).headers.get('etag') ?? '';
    await page.goto(`${server.url}/keys/${keyId}?tenant=${tenantId}`);
    const settings = page.getByRole('form', { name: 'Key settings' });
    const name = settings.getByLabel('Name', { exact: true });
    const rpm = settings.getByLabel('Rate limit (requests per minute)');
    const ips = settings.getByLabel('Allowed IPs and CIDRs');
    const save = settings.getByRole('button', { name: 'Save settings' });
    const changedMeanwhile = settings.getByRole('alert').filter({ hasText: 'Someone else changed this key while you were editing' });
    const saved = settings.getByText('Settings saved.');
    await rpm.waitFor();
    const readAs = await versionNow();

    // Meanwhile a script narrows the key down; the name, which Olivia edits, is not among what it changes.
    const narrowed = { allowed_ips: ['10.1.0.0/16'], scopes: ['orders:read'], rate_limit: { requests_per_minute: 66 } };
    assert.equal((await rootCall(server, 'PATCH', keyPath, narrowed)).status, 200);
    const narrowedVersion = await versionNow();
    assert.notEqual(await rpm.inputValue(), '66', 'the page still shows the key as it was');
    await name.fill('prod-order-bot-2');
    await save.click();
    await changedMeanwhile.waitFor();
    assert.match(await changedMeanwhile.innerText(), /nothing was saved\. The form now shows their changes; your edits are kept\. Check them and save again\./);
    assert.doesNotMatch(await changedMeanwhile.innerText(), /Both of you changed/, 'they changed other fields than Olivia');
    await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'alert' && document.activeElement.textContent?.startsWith('Someone else changed'));
    assert.deepEqual(sent, [{ body: { name: 'prod-order-bot-2' }, ifMatch: readAs, status: 409 }], 'sent on the version read, and refused');
    assert.equal((await stored()).name, 'prod-order-bot', 'nothing saved');
    // The form shows their changes, and Olivia's edit.
    assert.deepEqual([await rpm.inputValue(), await ips.inputValue(), await name.inputValue()], ['66', '10.1.0.0/16', 'prod-order-bot-2']);
    assert.equal(await settings.getByRole('checkbox', { name: 'orders:read' }).isChecked(), true);

    await save.click();
    await saved.waitFor();
    assert.equal(await changedMeanwhile.count(), 0, 'the message went with the save');
    assert.deepEqual(sent[1], { body: { name: 'prod-order-bot-2' }, ifMatch: narrowedVersion, status: 200 }, 'sent on the version read again');
    const kept = await stored();
    assert.deepEqual([kept.name, kept.allowed_ips, kept.scopes, kept.rate_limit.requests_per_minute], ['prod-order-bot-2', ['10.1.0.0/16'], ['orders:read'], 66]);

    // Both change the allowed IPs: Olivia adds a network, and meanwhile a script another.
    await ips.fill('10.1.0.0/16\n192.0.2.0/24');
    assert.equal((await rootCall(server, 'PATCH', keyPath, { allowed_ips: ['10.1.0.0/16', '198.51.100.7'] })).status, 200);
    const widenedVersion = await versionNow();
    await save.click();
    await changedMeanwhile.waitFor();
    assert.match(await changedMeanwhile.innerText(), /Both of you changed: Allowed IPs and CIDRs \(their entries with your additions and removals\)\./);
    assert.equal(sent[2]?.status, 409);
    assert.deepEqual((await stored()).allowed_ips, ['10.1.0.0/16', '198.51.100.7'], "the script's change is kept; nothing of the refused save was written");
    assert.equal(await ips.inputValue(), '10.1.0.0/16\n198.51.100.7\n192.0.2.0/24', 'their network and hers');
    await save.click();
    await saved.waitFor();
    assert.deepEqual(sent[3], { body: { allowed_ips: ['10.1.0.0/16', '198.51.100.7', '192.0.2.0/24'] }, ifMatch: widenedVersion, status: 200 });
    assert.deepEqual((await stored()).allowed_ips, ['10.1.0.0/16', '198.51.100.7', '192.0.2.0/24']);

    // Revoked meanwhile: the page says so and shows the key read-only, as for any action on it.
    assert.equal((await rootCall(server, 'POST', `${keyPath}/revoke`)).status, 200);
    await name.fill('prod-order-bot-3');
    await save.click();
    await page.getByRole('alert').getByText('The key is revoked', { exact: false }).waitFor();
    await page.getByRole('alert').getByText('The key was changed elsewhere', { exact: false }).waitFor();
    assert.equal(await page.getByRole('form', { name: 'Key settings' }).count(), 0, 'no settings form for a revoked key');
    assert.equal((await stored()).name, 'prod-order-bot-2');
  });

  it('reads roles and tenants again after a 403 or 404, and says what changed', async (t) => {
    let keyId = '';
    let oliviaId = '';
    let betaId = '';
    const { server, page, tenantId } = await signedInOwner(t, { before: async ({ cli }, tenant) => {
      // A second owner, so that Olivia may be demoted.
      await cli(['member', 'add', '--tenant', tenant, '--email', 'adam@acme.example', '--role', 'owner']);
      keyId = (await cli<{ key: { id: string } }>(['key', 'create', '--tenant', tenant, '--name', 'prod-order-bot', '--env', 'production'])).key.id;
      betaId = (await cli<{ id: string }>(['tenant', 'create', '--name', 'Beta Corp', '--plan', 'standard'])).id;
      oliviaId = (await cli<{ user_id: string }>(['member', 'add', '--tenant', betaId, '--email', OWNER, '--role', 'owner'])).user_id;
      await cli(['member', 'add', '--tenant', betaId, '--email', 'bea@beta.example', '--role', 'owner']);
    } });
    const switcher = page.getByLabel('Tenant', { exact: true });
    const tenantNames = () => switcher.locator('option').allInnerTexts();
    await page.goto(`${server.url}/keys/${keyId}?tenant=${tenantId}`);
    await page.getByRole('button', { name: 'Deactivate key' }).waitFor();

    // An owner elsewhere makes Olivia a viewer of Acme.
    assert.equal((await rootCall(server, 'PATCH', `/v1/tenants/${tenantId}/members/${oliviaId}`, { role: 'viewer' })).status, 200);
    await deactivateKey(page);
    await page.getByText('Your role in Acme Logistics is now viewer: you can look, but no longer change keys or members.').waitFor();
    assert.equal(await page.getByRole('region', { name: 'Actions' }).count(), 0, 'no actions a viewer may not take');
    assert.equal(await page.getByRole('button', { name: 'Save settings' }).count(), 0, 'no settings form for a viewer');
    await page.getByRole('button', { name: 'Dismiss' }).click();

    // Then Olivia is removed from Beta Corp while she looks at it.
    await switcher.selectOption({ label: 'Beta Corp' });
    await page.getByText('Keys that let machines call the API of Beta Corp.').waitFor();
    assert.deepEqual(await tenantNames(), ['Acme Logistics', 'Beta Corp']);
    assert.equal((await rootCall(server, 'DELETE', `/v1/tenants/${betaId}/members/${oliviaId}`)).status, 204);
    await nav(page, 'Members');
    await page.getByText('You are no longer a member of Beta Corp.').waitFor();
    await page.getByText('Your role: viewer.').waitFor();
    assert.deepEqual(await tenantNames(), ['Acme Logistics'], 'the switcher lists only the tenants she still belongs to');
    assert.equal(new URL(page.url()).searchParams.get('tenant'), tenantId);
  });

  it('says once that a tenant in the address does not exist, and tells a viewer when the address names a tenant not theirs', async (t) => {
    const setup = await setUp(t);
    const acme = await setup.cli<{ id: string }>(['tenant', 'create', '--name', 'Acme Logistics', '--plan', 'pro']);
    const beta = await setup.cli<{ id: string }>(['tenant', 'create', '--name', 'Beta Corp', '--plan', 'pro']);
    await setup.cli(['member', 'add', '--tenant', acme.id, '--email', 'victor@acme.example', '--role', 'viewer']);
    const server = await startServer(t, setup.env);
    const page = await openPage(t);

    await signIn(page, server.url, setup.mailbox, OPERATOR);
    await page.goto(`${server.url}/keys?tenant=ten_doesnotexist`);
    await page.getByRole('heading', { name: 'Tenant not found' }).waitFor();
    assert.equal(await page.getByText('No tenant ten_doesnotexist.').count(), 1, 'said once');
    assert.equal(await page.getByRole('button', { name: 'Create key' }).count(), 0, 'no actions on a tenant that does not exist');
    await page.getByRole('main').getByRole('link', { name: 'Tenants' }).click();
    await page.getByRole('heading', { name: 'Tenants' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, server.url, setup.mailbox, 'victor@acme.example');
    await page.goto(`${server.url}/keys?tenant=${beta.id}`);
    await page.getByText(`You are not a member of tenant ${beta.id} (from the address), so this shows Acme Logistics instead.`).waitFor();
    await page.getByText('Your role (viewer) can look but not create or change keys.').waitFor();
    assert.equal(new URL(page.url()).searchParams.get('tenant'), acme.id);
    await page.getByRole('button', { name: 'Dismiss' }).click();
    assert.equal(await page.getByText('You are not a member of tenant', { exact: false }).count(), 0);
  });

  it('shows "Page not found" for an unknown address, and keeps the address; an unknown key has a heading too', async (t) => {
    const { server, page, tenantId } = await signedInOwner(t);
    await page.goto(`${server.url}/nope/deep/path`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/nope/deep/path');
    await nav(page, 'API Access');
    await page.getByRole('heading', { name: 'API Access' }).waitFor();

    // An unknown key's address has a page heading above its error.
    await page.goto(`${server.url}/keys/key_nope?tenant=${tenantId}`);
    await page.getByRole('alert').waitFor();
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Key not shown');
  });
});
