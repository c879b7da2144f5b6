// The dashboard's finish: people named by e-mail, messages said once, filters kept in the address, focus kept after
// actions, burst editable, every tenant and key reachable, sign-in that keeps the address and says one countdown.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page, Request } from 'playwright-core';
import { browserSkipReason, ensureDashboardBuilt } from '../support/browser.js';
import { ensureBuilt, startServer } from '../support/processes.js';
import { nav, OPERATOR, openPage, OWNER, rootCall, setUp, signedInOwner } from './dashboard-setup.js';
import { deactivateKey, signIn, stepUp, takeSecret } from './dashboard-steps.js';




/** The id (or, for lack of one, the label) of the element that has the keyboard focus, once it is `expected` (or after a second). */
async function focused(page: Page, expected: string): Promise<string> {
  const read = () =>
    page.evaluate(() => {
      const active = document.activeElement;
      if (!active || active === document.body) return 'body';
      return active.id || active.textContent?.trim() || active.tagName;
    });
  const end = Date.now() + 1000;
  while (Date.now() < end && (await read()) !== expected) await new Promise((r) => setTimeout(r, 50));
  return read();
}

/** Counts the requests the page makes that `match`. */
function countRequests(page: Page, match: (request: Request) => boolean): { count: number } {
  const counter = { count: 0 };
  page.on('request', (request) => {
    if (match(request)) counter.count++;
  });
  return counter;
}

describe("the dashboard's finish, in Chromium", { skip: browserSkipReason() }, () => {
  before(() => {
    ensureBuilt();
    ensureDashboardBuilt();
  });

  it('names people by e-mail in the audit log and key facts, and says audit details in words', async (t) => {
    const { server, page, mailbox, tenantId } = await signedInOwner(t, { before: async ({ cli }, tenant) => {
      await cli(['member', 'add', '--tenant', tenant, '--email', 'victor@acme.example', '--role', 'viewer']);
    } });
    // Olivia creates a key (with a step-up); the operator token changes it.
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByLabel('Name').fill('prod-order-bot');
    await page.getByRole('button', { name: 'Generate key' }).click();
    await stepUp(page, mailbox, OWNER);
    await takeSecret(page);
    const keys = (await rootCall(server, 'GET', `/v1/tenants/${tenantId}/keys`)).body as { data: Array<{ id: string }> };
    const keyId = keys.data[0]?.id ?? '';
    assert.equal((await rootCall(server, 'PATCH', `/v1/tenants/${tenantId}/keys/${keyId}`, { name: 'prod-order-bot-2' })).status, 200);

    await page.goto(`${server.url}/keys/${keyId}?tenant=${tenantId}`);
    const facts = page.getByLabel('Key facts');
    const creator = facts.getByText(OWNER);
    await creator.waitFor();
    assert.match((await creator.getAttribute('title')) ?? '', /^user usr_/, 'the id stays at hand');
    assert.equal(await facts.getByText(/usr_/).count(), 0, 'no raw user id on screen');

    await nav(page, 'Audit log');
    const audit = page.getByRole('table', { name: 'Audit log' });
    await audit.waitFor();
    const created = audit.getByRole('row').filter({ hasText: 'key.created' });
    await created.getByText(OWNER).waitFor();
    const added = audit.getByRole('row').filter({ hasText: 'member.added' }).filter({ hasText: 'victor@acme.example' });
    assert.equal(await added.getByRole('cell').nth(1).innerText(), 'operator (CLI)');
    assert.equal(await added.getByRole('cell').nth(3).innerText(), 'victor@acme.example', 'the target is named too');
    assert.match(await added.getByRole('cell').nth(5).innerText(), /email: victor@acme\.example\s+role: viewer/);
    const updated = audit.getByRole('row').filter({ hasText: 'key.updated' });
    assert.equal(await updated.getByRole('cell').nth(1).innerText(), 'operator (root token env)');
    assert.equal(await updated.getByRole('cell').nth(5).innerText(), 'fields: name');
    assert.equal(await audit.getByText(/usr_|\{"/).count(), 0, 'no raw ids or JSON');
  });

  it('names keys in the audit log and key facts, linked, tells a rotated key from its successor, and says a grace period in hours and minutes', async (t) => {
    let keyId = '';
    let original = { start: '', end: '' };
    const { server, page, tenantId } = await signedInOwner(t, { before: async ({ cli }, tenant) => {
      const issued = await cli<{ key: { id: string; start: string; end: string } }>(['key', 'create', '--tenant', tenant, '--name', 'prod-order-bot', '--env', 'production']);
      keyId = issued.key.id;
      original = issued.key;
    } });
    const rotated = await rootCall(server, 'POST', `/v1/tenants/${tenantId}/keys/${keyId}/rotate`, { grace_period_seconds: 9000 });
    assert.equal(rotated.status, 201);
    const successor = (rotated.body as { key: { start: string; end: string } }).key;

    await nav(page, 'Audit log');
    const row = page.getByRole('table', { name: 'Audit log' }).getByRole('row').filter({ hasText: 'key.rotated' });
    await row.getByRole('link', { name: 'prod-order-bot' }).waitFor();
    const details = await row.getByRole('cell').nth(5).innerText();
    // The two keys share the name: each is told by its hint, as on the key list.
    assert.ok(details.includes(`rotated to: prod-order-bot (${successor.start}…${successor.end})`), details);
    assert.ok((await row.getByRole('cell').nth(3).innerText()).includes(`${original.start}…${original.end}`), 'the rotated key shows its own hint');
    assert.match(details, /grace period: 2 hours 30 minutes/);
    assert.equal(await row.getByText(/key_/).count(), 0, 'no raw key id on screen');

    await row.getByRole('link', { name: 'prod-order-bot' }).click();
    const facts = page.getByLabel('Key facts');
    await facts.getByRole('link', { name: `prod-order-bot (${successor.start}…${successor.end})` }).waitFor();
  });

  it('names a removed member in the audit log, and tells a rotation kept until revoked from one with no grace at all', async (t) => {
    let keyId = '';
    let victorId = '';
    const { server, page, tenantId } = await signedInOwner(t, { before: async ({ cli }, tenant) => {
      victorId = (await cli<{ user_id: string }>(['member', 'add', '--tenant', tenant, '--email', 'victor@acme.example', '--role', 'viewer'])).user_id;
      keyId = (await cli<{ key: { id: string } }>(['key', 'create', '--tenant', tenant, '--name', 'prod-order-bot', '--env', 'production'])).key.id;
    } });
    const members = `/v1/tenants/${tenantId}/members/${victorId}`;
    assert.equal((await rootCall(server, 'PATCH', members, { role: 'developer' })).status, 200);
    assert.equal((await rootCall(server, 'DELETE', members)).status, 204);
    const first = await rootCall(server, 'POST', `/v1/tenants/${tenantId}/keys/${keyId}/rotate`, {});
    const successor = (first.body as { key: { id: string } }).key.id;
    assert.equal((await rootCall(server, 'POST', `/v1/tenants/${tenantId}/keys/${successor}/rotate`, { grace_period_seconds: 0 })).status, 201);

    await nav(page, 'Audit log');
    const audit = page.getByRole('table', { name: 'Audit log' });
    await audit.waitFor();
    const rotations = audit.getByRole('row').filter({ hasText: 'key.rotated' });
    await rotations.first().waitFor();
    const details = (await rotations.allInnerTexts()).join('\n');
    assert.match(details, /grace period: until revoked/);
    assert.match(details, /grace period: 0 s \(at once\)/);
    assert.doesNotMatch(details, /none/);
    // The removal's own details carry the e-mail, which names him in every entry about him on the page.
    for (const action of ['member.removed', 'member.updated']) {
      const row = audit.getByRole('row').filter({ hasText: action });
      assert.equal(await row.getByRole('cell').nth(3).innerText(), 'victor@acme.example', action);
    }
    assert.equal(await audit.getByText(/usr_/).count(), 0, 'no raw ids');

    // Without an entry that carries his e-mail, he is named for what he is now.
    await page.getByLabel('Action').selectOption('member.updated');
    const updated = audit.getByRole('row').filter({ hasText: 'member.updated' });
    await updated.getByText(`former member or operator (${victorId})`).waitFor();
    assert.equal(await audit.getByRole('row').filter({ hasText: 'member.removed' }).count(), 0);
  });

  it('says a validation problem once, checks the grace period in hours, and makes burst editable', async (t) => {
    let keyId = '';
    const { server, page, tenantId } = await signedInOwner(t, { before: async ({ cli }, tenant) => {
      keyId = (await cli<{ key: { id: string } }>(['key', 'create', '--tenant', tenant, '--name', 'prod-order-bot', '--env', 'production'])).key.id;
    } });
    const rotations = countRequests(page, (request) => request.method() === 'POST' && request.url().endsWith('/rotate'));
    await page.goto(`${server.url}/keys/${keyId}?tenant=${tenantId}`);

    // Deactivate → Activate keeps the keyboard on the button.
    await deactivateKey(page);
    await page.getByRole('button', { name: 'Activate key', exact: true }).waitFor();
    assert.equal(await focused(page, 'Activate key'), 'Activate key');

    // A grace period over a year is refused here, in hours.
    await page.getByRole('button', { name: 'Rotate key' }).click();
    const rotate = page.getByRole('dialog', { name: 'Rotate key' });
    await rotate.getByLabel('Grace period hours').fill('9000');
    await rotate.getByText('A grace period can last at most one year (8760 hours).').waitFor();
    assert.equal(await rotate.getByRole('button', { name: 'Rotate now' }).isDisabled(), true);
    assert.equal(await rotate.getByLabel('Grace period hours').getAttribute('aria-invalid'), 'true');
    assert.equal(rotations.count, 0);
    await rotate.getByRole('button', { name: 'Cancel' }).click();

    // Burst: shown and saved.
    const burst = page.getByLabel('Burst (requests at once)');
    assert.equal(await burst.inputValue(), '', 'it follows the rate limit');
    await burst.fill('500');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    const saved = (await rootCall(server, 'GET', `/v1/tenants/${tenantId}/keys/${keyId}`)).body as { rate_limit: { requests_per_minute: number; burst: number } };
    assert.deepEqual(saved.rate_limit, { requests_per_minute: 100, burst: 500 });
    await page.reload();
    assert.equal(await page.getByLabel('Burst (requests at once)').inputValue(), '500');

    // A server 400 naming a field (a scope over 100 characters, which only the server checks) is said once, on that field.
    const settings = page.getByRole('form', { name: 'Key settings' });
    await settings.getByLabel('Other scope').fill(`orders:${'r'.repeat(100)}`);
    await settings.getByRole('button', { name: 'Add scope' }).click();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await settings.getByText('Entry 1 must have at most 100 characters.').waitFor();
    const text = await page.getByRole('main').innerText();
    assert.equal(text.split(/at most 100 characters/i).length - 1, 1, `said once: ${text}`);
  });

  it("puts the focus on the Rotation panel after a rotation's secret is stored and after the old key is revoked, their buttons being gone", async (t) => {
    let keyId = '';
    const { server, page, mailbox, tenantId } = await signedInOwner(t, { before: async ({ cli }, tenant) => {
      keyId = (await cli<{ key: { id: string } }>(['key', 'create', '--tenant', tenant, '--name', 'prod-order-bot', '--env', 'production'])).key.id;
    } });
    await page.goto(`${server.url}/keys/${keyId}?tenant=${tenantId}`);
    await page.getByRole('button', { name: 'Rotate key' }).click();
    await page.getByRole('dialog', { name: 'Rotate key' }).getByRole('button', { name: 'Rotate now' }).click();
    await stepUp(page, mailbox, OWNER);
    await page.getByRole('dialog', { name: 'Key rotated: the new key' }).waitFor();
    await takeSecret(page);
    assert.equal(await focused(page, 'rotation-title'), 'rotation-title', 'focus is on the heading of the Rotation panel');
    assert.equal(await page.getByRole('heading', { name: 'Rotation' }).evaluate((el) => el === document.activeElement), true);
    assert.equal(await page.getByRole('button', { name: 'Rotate key' }).count(), 0, 'the button that opened the flow is gone');

    // Revoking the old key from the panel: its button goes too, and the focus stays on the panel's heading.
    await page.getByRole('button', { name: 'Revoke old key' }).click();
    await page.getByLabel('Type the key name to confirm').fill('prod-order-bot');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Revoke old key' }).waitFor({ state: 'detached' });
    assert.equal(await focused(page, 'rotation-title'), 'rotation-title', 'focus is on the heading of the Rotation panel, not <body>');
  });

  it('searches keys by name or id as one types, with the other filters, in the address; Back shows the list before the search', async (t) => {
    const { page } = await signedInOwner(t, { before: async ({ cli }, tenant) => {
      for (const [name, env] of [['prod-order-bot', 'production'], ['billing-export', 'production'], ['Billing-Sync', 'staging']]) {
        await cli(['key', 'create', '--tenant', tenant, '--name', name!, '--env', env!]);
      }
    } });
    const table = page.getByRole('table', { name: 'API keys' });
    const named = (name: string) => table.getByRole('link', { name, exact: true });
    await named('prod-order-bot').waitFor();
    const search = page.getByLabel('Search');

    await search.pressSequentially('BILL');
    await named('prod-order-bot').waitFor({ state: 'detached' });
    await named('billing-export').waitFor();
    await named('Billing-Sync').waitFor();
    assert.equal(new URL(page.url()).searchParams.get('search'), 'BILL');
    assert.equal(await search.evaluate((el) => el === document.activeElement), true, 'typing goes on in the field');

    await page.getByLabel('Environment').selectOption('staging');
    await named('billing-export').waitFor({ state: 'detached' });
    await named('Billing-Sync').waitFor();
    await page.reload();
    await named('Billing-Sync').waitFor();
    assert.equal(await search.inputValue(), 'BILL', 'the search stays through a reload');

    await search.fill('nope');
    await page.getByText('No key matches these filters.').waitFor();
    await page.goBack();
    await named('billing-export').waitFor();
    assert.equal(await search.inputValue(), 'BILL', 'Back: the search before the environment, typing counted once');
    assert.equal(await page.getByLabel('Environment').inputValue(), '');
    await page.goBack();
    await named('prod-order-bot').waitFor();
    assert.equal(await search.inputValue(), '', 'and the list before the search');

    // A filter chosen while typing has not paused yet: the search pending then goes with it, and is not applied
    // later over it (with the filters of before).
    await search.pressSequentially('sync');
    await page.getByLabel('Environment').selectOption('staging');
    await named('Billing-Sync').waitFor();
    await page.waitForTimeout(1000); // longer than the pause after typing: a search left pending would now be applied
    const address = new URL(page.url()).searchParams;
    assert.deepEqual([address.get('environment'), address.get('search')], ['staging', 'sync']);
    assert.equal(await page.getByLabel('Environment').inputValue(), 'staging');
  });

  it('does not put a pasted secret in the address or a request, and says to search by name or id', async (t) => {
    let secret = '';
    const { page } = await signedInOwner(t, { before: async ({ cli }, tenant) => {
      secret = (await cli<{ secret: string }>(['key', 'create', '--tenant', tenant, '--name', 'prod-order-bot', '--env', 'production'])).secret;
    } });
    const urls: string[] = [];
    page.on('request', (request) => urls.push(request.url()));
    const table = page.getByRole('table', { name: 'API keys' });
    await table.getByRole('link', { name: 'prod-order-bot' }).waitFor();
    const search = page.getByLabel('Search');
    await search.fill(secret);
    await page.getByText('That is a key’s secret: search by name or id, never by a secret.').waitFor();
    await search.press('Enter');
    await page.waitForTimeout(1000); // longer than the pause after typing: a search would have been sent by now
    assert.equal(await search.getAttribute('aria-invalid'), 'true');
    assert.equal(page.url().includes(secret.slice(8)), false, 'not in the address');
    assert.equal(urls.some((url) => url.includes(secret.slice(8))), false, 'not in any request');
    await search.fill('  prod  ');
    await page.waitForURL((url) => url.searchParams.get('search') === 'prod', { timeout: 5000 });
    await table.getByRole('link', { name: 'prod-order-bot' }).waitFor();
  });

  it('keeps list filters in the address, through a reload, and Back restores the one before', async (t) => {
    const { page, tenantId } = await signedInOwner(t, { before: async ({ cli }, tenant) => {
      await cli(['key', 'create', '--tenant', tenant, '--name', 'prod-order-bot', '--env', 'production']);
    } });
    const table = page.getByRole('table', { name: 'API keys' });
    await table.waitFor();
    await page.getByLabel('Status').selectOption('revoked');
    await page.getByText('No key matches these filters.').waitFor();
    assert.equal(new URL(page.url()).searchParams.get('status'), 'revoked');
    await page.reload();
    await page.getByText('No key matches these filters.').waitFor();
    assert.equal(await page.getByLabel('Status').inputValue(), 'revoked');
    await page.goBack();
    await table.getByRole('link', { name: 'prod-order-bot' }).waitFor();
    assert.equal(await page.getByLabel('Status').inputValue(), '', 'Back shows all keys again');

    await nav(page, 'Request logs');
    await page.getByLabel('HTTP status').fill('429');
    const asked = page.waitForRequest((request) => new URL(request.url()).pathname === `/v1/tenants/${tenantId}/request-logs` && request.url().includes('status=429'));
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await asked;
    assert.equal(new URL(page.url()).searchParams.get('status'), '429');
    const again = page.waitForRequest((request) => new URL(request.url()).pathname === `/v1/tenants/${tenantId}/request-logs` && request.url().includes('status=429'));
    await page.reload();
    await again;
    assert.equal(await page.getByLabel('HTTP status').inputValue(), '429');
    await page.goBack();
    await page.waitForURL((url) => url.pathname === '/logs' && !url.searchParams.has('status'));
    assert.equal(await page.getByLabel('HTTP status').inputValue(), '', 'Back restores the unfiltered log');

    await nav(page, 'Audit log');
    await page.getByLabel('Action').selectOption('member.added');
    await page.getByRole('table', { name: 'Audit log' }).getByText('member.added').first().waitFor();
    await page.reload();
    assert.equal(await page.getByLabel('Action').inputValue(), 'member.added');
    assert.equal(await page.getByRole('table', { name: 'Audit log' }).getByText('tenant.created').count(), 0);
  });

  it('focuses the first invalid field of Create key and ties expiry problems to their inputs', async (t) => {
    const { page } = await signedInOwner(t);
    await page.getByRole('button', { name: 'Create key' }).click();
    const create = page.getByRole('dialog', { name: 'Create API key' });
    await create.getByLabel('Expires').selectOption('custom');
    await create.getByRole('button', { name: 'Generate key' }).click();
    await create.getByText('Fix the fields marked above.').waitFor();
    assert.equal(await focused(page, 'create-key-name'), 'create-key-name', 'focus moves to the first invalid field');

    const date = create.getByLabel('Expiry date');
    assert.equal(await date.getAttribute('aria-invalid'), 'true');
    const describedBy = ((await date.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
    assert.ok(describedBy.length > 0, 'the date input has a description');
    const said = await Promise.all(describedBy.map((id) => page.locator(`[id="${id}"]`).innerText()));
    assert.ok(said.includes('Pick a date.'), `the date's problem is its description: ${said.join(' | ')}`);
  });

  it('offers the operator the newest 100 tenants and a search that finds the others, and the newest 100 keys to the log filter with a search that finds the others', async (t) => {
    const setup = await setUp(t);
    const server = await startServer(t, setup.env);
    let lastTenant = '';
    for (let i = 1; i <= 101; i++) {
      const created = await rootCall(server, 'POST', '/v1/tenants', { name: `Tenant ${String(i).padStart(3, '0')}`, plan: 'enterprise' });
      assert.equal(created.status, 201);
      lastTenant = (created.body as { id: string }).id;
    }
    let oldestId = '';
    for (let i = 1; i <= 101; i++) {
      const created = await rootCall(server, 'POST', `/v1/tenants/${lastTenant}/keys`, { name: `key-${String(i).padStart(3, '0')}`, environment: 'production' });
      assert.equal(created.status, 201);
      if (i === 1) oldestId = (created.body as { key: { id: string } }).key.id;
    }
    const page = await openPage(t);
    await signIn(page, server.url, setup.mailbox, OPERATOR);
    const switcher = page.getByLabel('Tenant', { exact: true });
    await switcher.locator('option', { hasText: 'Tenant 101' }).waitFor({ state: 'attached' });
    assert.equal(await switcher.locator('option').count(), 101, 'the newest 100 tenants and "Find another tenant…"');
    assert.equal(await switcher.locator('option', { hasText: 'Tenant 001' }).count(), 0);
    await switcher.selectOption({ label: 'Find another tenant…' });
    await page.getByRole('heading', { name: 'Tenants' }).waitFor();
    const find = page.getByLabel('Find a tenant');
    assert.equal(await find.evaluate((field) => field === document.activeElement), true, 'ready to type');
    assert.equal(await switcher.inputValue(), lastTenant, 'the switcher still names the tenant shown');
    await page.keyboard.type('TENANT 00');
    await page.getByRole('status').filter({ hasText: '9 tenants match “TENANT 00”.' }).waitFor();
    await page.getByRole('table', { name: 'Tenants' }).getByRole('link', { name: 'Tenant 001' }).click();
    await page.getByRole('heading', { name: 'API Access' }).waitFor();
    await page.goBack();
    await page.getByRole('status').filter({ hasText: '9 tenants match “TENANT 00”.' }).waitFor();
    assert.equal(await find.inputValue(), 'TENANT 00', 'Back finds the search again (it is in the address)');
    // The Tenants link, followed from the page itself, shows every tenant again; Back returns to the search.
    await nav(page, 'Tenants');
    await page.getByRole('table', { name: 'Tenants' }).getByRole('link', { name: 'Tenant 101' }).waitFor();
    assert.equal(await find.inputValue(), '');
    await page.goBack();
    await page.getByRole('status').filter({ hasText: '9 tenants match “TENANT 00”.' }).waitFor();
    await page.goForward();
    await page.getByRole('table', { name: 'Tenants' }).getByRole('link', { name: 'Tenant 101' }).waitFor();
    await page.goBack();
    await page.getByRole('table', { name: 'Tenants' }).getByRole('link', { name: 'Tenant 001' }).click();
    await page.getByRole('heading', { name: 'API Access' }).waitFor();
    await switcher.locator('option:checked', { hasText: 'Tenant 001' }).waitFor({ state: 'attached' });
    await switcher.selectOption({ label: 'Tenant 101' });
    await nav(page, 'Request logs');
    const keyFilter = page.getByLabel('Key', { exact: true });
    await keyFilter.locator('option', { hasText: 'key-101 ' }).waitFor({ state: 'attached' });
    assert.equal(await keyFilter.locator('option').count(), 101, 'the newest 100 keys and "All keys"');
    assert.equal(await keyFilter.locator('option', { hasText: 'key-001 ' }).count(), 0);
    await page.getByText('The newest 100 keys; type to find others.').waitFor();
    await page.getByLabel('Find a key').fill('KEY-001');
    await page.getByRole('status').filter({ hasText: '1 key matches “KEY-001”.' }).waitFor();
    const oldest = keyFilter.locator('option', { hasText: 'key-001 ' });
    await keyFilter.selectOption((await oldest.getAttribute('value'))!);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((url) => url.searchParams.get('key') === oldestId);
    await page.getByText('No requests match these filters yet.').waitFor();
    // Named once the filtered key is read by id (the page reads it for the address's filter).
    await keyFilter.locator('option:checked', { hasText: 'key-001 ' }).waitFor({ state: 'attached' });

    // The audit log reads the newest 100 keys, in one request, and names an older key by reading it alone.
    const listReads: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === `/v1/tenants/${lastTenant}/keys`) listReads.push(url.search);
    });
    await page.goto(`${server.url}/audit?tenant=${lastTenant}&action=key.created`);
    const audit = page.getByRole('table', { name: 'Audit log' });
    await audit.getByRole('link', { name: 'key-101' }).waitFor();
    const pager = page.getByRole('navigation', { name: 'Audit log pages' });
    for (const shown of ['key-051', 'key-001']) {
      await pager.getByRole('button', { name: 'Next page' }).click();
      await audit.getByRole('link', { name: shown }).waitFor();
    }
    assert.deepEqual(listReads, ['?limit=100'], 'one read of the key list');
  });

  it('signs in with focus on the code, keeps the address to correct, one countdown, and stops a blocked code', async (t) => {
    const setup = await setUp(t);
    const tenant = await setup.cli<{ id: string }>(['tenant', 'create', '--name', 'Acme Logistics', '--plan', 'pro']);
    await setup.cli(['member', 'add', '--tenant', tenant.id, '--email', OWNER, '--role', 'owner']);
    const server = await startServer(t, setup.env);
    const page = await openPage(t);
    await page.goto(server.url);
    await page.getByLabel('E-mail address').fill(OWNER);
    await page.getByLabel('E-mail address').press('Enter');
    await page.getByLabel('Sign-in code').waitFor();
    assert.equal(await focused(page, 'sign-in-code'), 'sign-in-code', 'focus goes to the code field');
    const code = await setup.mailbox.code(OWNER);

    await page.getByRole('button', { name: 'Use a different e-mail' }).click();
    assert.equal(await page.getByLabel('E-mail address').inputValue(), OWNER, 'the address is kept for editing');

    // A second code within the cooldown: the notice and the button count the same seconds.
    await page.getByRole('button', { name: 'Send sign-in code' }).click();
    const notice = page.getByRole('alert');
    await notice.getByText('A code was sent less than a minute ago.').waitFor();
    await page.waitForTimeout(1500);
    const resend = page.getByRole('button', { name: /^Resend code in \d+ s$/ });
    const [noticeText, buttonText] = await page.evaluate(() => [
      document.querySelector('[role="alert"]')?.textContent ?? '',
      Array.from(document.querySelectorAll('button')).find((b) => b.textContent?.startsWith('Resend code in'))?.textContent ?? '',
    ]);
    await resend.waitFor();
    const seconds = /(\d+) s$/.exec(buttonText)?.[1];
    assert.ok(seconds, buttonText);
    assert.deepEqual(noticeText.match(/\d+/g), [seconds], `one countdown: "${noticeText}" / "${buttonText}"`);

    // Wrong codes: said once, and after the fifth the code is blocked.
    const wrong = code === '000000' ? '111111' : '000000';
    const signInButton = page.getByRole('button', { name: 'Sign in', exact: true });
    await page.getByLabel('Sign-in code').fill(wrong);
    await signInButton.click();
    const wrongAlert = page.getByRole('alert').filter({ hasText: 'Wrong code.' });
    await wrongAlert.waitFor();
    assert.doesNotMatch(await wrongAlert.innerText(), /wrong.*wrong/is, 'the headline is not repeated');
    for (let i = 0; i < 4; i++) {
      await page.getByLabel('Sign-in code').fill(wrong);
      await signInButton.click();
      await page.getByRole('alert').waitFor();
      await page.waitForFunction(() => !Array.from(document.querySelectorAll('button')).some((b) => b.textContent === 'Signing in…'));
    }
    await page.getByRole('alert').filter({ hasText: 'Code blocked' }).getByText('You can ask for a new code in', { exact: false }).waitFor();
    await page.getByLabel('Sign-in code').fill(code);
    assert.equal(await signInButton.isDisabled(), true, 'a blocked code cannot be tried again');
  });
});
