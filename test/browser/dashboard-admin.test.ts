// The dashboard's sign-in messages, operator and member administration, key settings checks and request-log
// filters, each driven in Chromium against a real server and asserted on what the person sees.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { browserSkipReason, ensureDashboardBuilt } from '../support/browser.js';
import { ensureBuilt, eventually, runCli, startServer, tempDir } from '../support/processes.js';
import { nav, OPERATOR, openPage, rootCall, setUp } from './dashboard-setup.js';
import { assertControlsLabelled, deactivateKey, signIn, stepUp, takeSecret } from './dashboard-steps.js';

/** Clicks a download link and returns the file the browser saved: its suggested name and its text. */
async function download(page: Page, link: Locator): Promise<{ name: string; text: string }> {
  const [saved] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const path = await saved.path();
  return { name: saved.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

/** A code that is surely not `code`: the same digits with the last one changed. */
function wrongCodeFor(code: string): string {
  return code.slice(0, 5) + String((Number(code[5]) + 1) % 10);
}

/** Types a sign-in code and submits it, waiting for the server's answer and for the form to be ready again. */
async function submitCode(page: Page, code: string): Promise<void> {
  await page.getByLabel('Sign-in code').fill(code);
  await Promise.all([
    page.waitForResponse((response) => new URL(response.url()).pathname === '/v1/auth/otp/verify'),
    page.getByRole('button', { name: 'Sign in', exact: true }).click(),
  ]);
}

describe('the dashboard for admins and operators, in Chromium', { skip: browserSkipReason() }, () => {
  before(() => {
    ensureBuilt();
    ensureDashboardBuilt();
  });

  it('explains a wrong code, accepts the right one pasted with a space, counts down to resend, and signs out', async (t) => {
    const { env, mailbox, cli } = await setUp(t);
    const tenant = await cli<{ id: string }>(['tenant', 'create', '--name', 'Acme Logistics']);
    await cli(['member', 'add', '--tenant', tenant.id, '--email', 'olivia@acme.example', '--role', 'owner']);
    const server = await startServer(t, env);
    const page = await openPage(t);

    await page.goto(server.url);
    await page.getByLabel('E-mail address').fill('olivia@acme.example');
    await page.getByRole('button', { name: 'Send sign-in code' }).click();
    const code = await mailbox.code('olivia@acme.example');

    // The resend button waits out the 60-second cooldown, and says how long is left.
    const resend = page.getByRole('button', { name: /^Resend code in \d+ s$/ });
    await resend.waitFor();
    assert.equal(await resend.isDisabled(), true, 'no resend during the cooldown');
    const firstCount = Number(/(\d+) s$/.exec(await resend.innerText())?.[1]);
    assert.ok(firstCount > 0 && firstCount <= 60, `the countdown starts at most at 60 s, not ${firstCount}`);
    await page.waitForFunction(
      (start) => Array.from(document.querySelectorAll('button')).some((b) => Number(/^Resend code in (\d+) s$/.exec(b.textContent ?? '')?.[1] ?? NaN) < start),
      firstCount,
    );

    await submitCode(page, wrongCodeFor(code));
    const alert = page.getByRole('alert');
    await alert.getByText('Wrong code.').waitFor();
    assert.match(await alert.innerText(), /^Wrong code\. Check the code in the newest e-mail and type it again\.$/, 'what to do follows the headline, which is not repeated');
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0, 'a wrong code signs nobody in');

    // Pasted as it often arrives, with a space in the middle: the field keeps the digits.
    await page.getByLabel('Sign-in code').fill(`${code.slice(0, 3)} ${code.slice(3)}`);
    assert.equal(await page.getByLabel('Sign-in code').inputValue(), code);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'API Access' }).waitFor();
    assert.match(await page.locator('header').innerText(), /olivia@acme\.example/);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('E-mail address').waitFor();
    assert.equal((await page.request.get(`${server.url}/v1/auth/me`)).status(), 401, 'signing out ends the session on the server');
  });

  it('blocks a code after five wrong tries and says when a new one can be requested, never pointing at the blocked one', async (t) => {
    const { env, mailbox, cli } = await setUp(t);
    const tenant = await cli<{ id: string }>(['tenant', 'create', '--name', 'Acme Logistics']);
    await cli(['member', 'add', '--tenant', tenant.id, '--email', 'dana@acme.example', '--role', 'developer']);
    const server = await startServer(t, env);
    const page = await openPage(t);

    await page.goto(server.url);
    await page.getByLabel('E-mail address').fill('dana@acme.example');
    await page.getByRole('button', { name: 'Send sign-in code' }).click();
    const code = await mailbox.code('dana@acme.example');
    const alert = page.getByRole('alert');
    for (let attempt = 1; attempt <= 4; attempt++) {
      await submitCode(page, wrongCodeFor(code));
      await alert.getByText('Wrong code.').waitFor();
    }
    await submitCode(page, wrongCodeFor(code));
    await alert.getByText('Code blocked after too many wrong tries.').waitFor();
    // The cooldown of the first code still runs: the message gives the same wait as the button, not a button to press now.
    const said = await page.evaluate(() => [
      document.querySelector('[role="alert"]')?.textContent ?? '',
      Array.from(document.querySelectorAll('button')).find((b) => b.textContent?.startsWith('Send a new code'))?.textContent ?? '',
    ]);
    const seconds = /^Send a new code in (\d+) s$/.exec(said[1] ?? '')?.[1];
    assert.ok(seconds, `the button counts down: ${said[1]}`);
    assert.match(said[0] ?? '', new RegExp(`You can ask for a new code in ${seconds} s\\.`));
    assert.doesNotMatch(said[0] ?? '', /Press/, 'no button to press yet');

    // Even the right code cannot be tried: the person must ask for a new one.
    await page.getByLabel('Sign-in code').fill(code);
    assert.equal(await page.getByRole('button', { name: 'Sign in', exact: true }).isDisabled(), true);
    await alert.getByText('Code blocked after too many wrong tries.').waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0);

    // Asking again from the e-mail step within the cooldown (429) does not call the blocked code "the code already sent".
    await page.getByRole('button', { name: 'Use a different e-mail' }).click();
    await Promise.all([
      page.waitForResponse((response) => new URL(response.url()).pathname === '/v1/auth/otp' && response.status() === 429),
      page.getByRole('button', { name: 'Send sign-in code' }).click(),
    ]);
    await alert.getByText('Code blocked after too many wrong tries.').waitFor();
    assert.doesNotMatch(await alert.innerText(), /already sent/);
    assert.equal(await page.getByRole('button', { name: 'Sign in', exact: true }).isDisabled(), true);
  });

  it('shows an operator every tenant with plan and status, and switches between tenants', async (t) => {
    const { env, mailbox, cli } = await setUp(t);
    const acme = await cli<{ id: string }>(['tenant', 'create', '--name', 'Acme Logistics', '--plan', 'pro']);
    const globex = await cli<{ id: string }>(['tenant', 'create', '--name', 'Globex', '--plan', 'enterprise', '--status', 'suspended']);
    await cli(['member', 'add', '--tenant', acme.id, '--email', 'olivia@acme.example', '--role', 'owner']);
    await cli(['member', 'add', '--tenant', globex.id, '--email', 'olivia@acme.example', '--role', 'viewer']);
    const server = await startServer(t, env);
    const page = await openPage(t);

    await signIn(page, server.url, mailbox, OPERATOR);
    assert.match(await page.locator('header').innerText(), /operator/);
    await nav(page, 'Tenants');
    const tenants = page.getByRole('table', { name: 'Tenants' });
    await tenants.waitFor();
    const globexRow = tenants.getByRole('row', { name: /Globex/ });
    assert.match(await globexRow.innerText(), /enterprise[\s\S]*suspended/);
    assert.match(await tenants.getByRole('row', { name: /Acme Logistics/ }).innerText(), /pro[\s\S]*active/);

    // Opening a tenant from the list shows its API Access page, with the guided empty state for it.
    await globexRow.getByRole('link', { name: 'Globex' }).click();
    await page.getByText('Keys that let machines call the API of Globex.').waitFor();
    await page.getByRole('heading', { name: 'No API keys yet' }).waitFor();
    assert.match(await page.getByLabel('Connectivity check command').innerText(), new RegExp(`/api/v1/m2m/tenants/${globex.id}/limits`));
    assert.equal(await page.getByLabel('Tenant', { exact: true }).inputValue(), globex.id);

    // The switcher in the header changes tenant and keeps the page.
    await nav(page, 'Members');
    await page.getByLabel('Tenant', { exact: true }).selectOption({ label: 'Acme Logistics' });
    await page.getByRole('table', { name: 'Members' }).getByText('olivia@acme.example').waitFor();
    assert.match(page.url(), new RegExp(`/members\\?tenant=${acme.id}$`));

    // A person in two tenants gets the switcher too, with their role in each.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, server.url, mailbox, 'olivia@acme.example');
    const options = await page.getByLabel('Tenant', { exact: true }).locator('option').allInnerTexts();
    assert.deepEqual([...options].sort(), ['Acme Logistics', 'Globex']);
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tenants' }).count(), 0, 'only operators see the tenants list');
    await page.getByLabel('Tenant', { exact: true }).selectOption({ label: 'Globex' });
    await page.getByText('Keys that let machines call the API of Globex.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Create key' }).count(), 0, 'a viewer of Globex sees no create button');
    await page.getByLabel('Tenant', { exact: true }).selectOption({ label: 'Acme Logistics' });
    await page.getByRole('button', { name: 'Create key' }).waitFor();
  });

  it('lets an owner invite a member with a role, change the role and remove them', async (t) => {
    const { env, mailbox, cli } = await setUp(t);
    const tenant = await cli<{ id: string }>(['tenant', 'create', '--name', 'Acme Logistics']);
    await cli(['member', 'add', '--tenant', tenant.id, '--email', 'olivia@acme.example', '--role', 'owner']);
    const server = await startServer(t, env);
    const page = await openPage(t);
    await signIn(page, server.url, mailbox, 'olivia@acme.example');
    await nav(page, 'Members');

    const members = page.getByRole('table', { name: 'Members' });
    await members.waitFor();
    await assertControlsLabelled(page, 'the members page');
    await page.getByLabel('E-mail address').fill('adam@acme.example');
    await page.getByLabel('Role', { exact: true }).selectOption('admin');
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('status').getByText('adam@acme.example was added.').waitFor();
    const role = members.getByLabel('Role of adam@acme.example');
    assert.equal(await role.inputValue(), 'admin');
    // Adam has not used the tenant yet (his sign-ins are not this tenant's to see until he does); Olivia has.
    const notOpened = 'Has not opened this tenant yet';
    await members.getByRole('row', { name: /adam@acme\.example/ }).getByText(notOpened, { exact: false }).waitFor();
    assert.equal(await members.getByRole('row', { name: /olivia@acme\.example/ }).getByText(notOpened, { exact: false }).count(), 0);

    // Inviting the same person again: the server's own words explain the refusal.
    await page.getByLabel('E-mail address').fill('adam@acme.example');
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('alert').getByText('adam@acme.example is already a member of this tenant; change the role instead.').waitFor();

    await role.selectOption('viewer');
    await members.getByRole('button', { name: 'Save role' }).click();
    const saved = await eventually(async () => {
      const listed = await rootCall(server, 'GET', `/v1/tenants/${tenant.id}/members`);
      return (listed.body as { data: Array<{ email: string; role: string }> }).data.some((m) => m.email === 'adam@acme.example' && m.role === 'viewer');
    }, 5000);
    assert.ok(saved, 'the role change reaches the server');
    await page.reload();
    assert.equal(await members.getByLabel('Role of adam@acme.example').inputValue(), 'viewer', 'the new role is what the server keeps');

    await members.getByRole('button', { name: 'Remove adam@acme.example' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove member' });
    await dialog.getByRole('button', { name: 'Remove member' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await members.getByText('adam@acme.example').waitFor({ state: 'detached' });
    await page.reload();
    await members.getByText('olivia@acme.example').waitFor();
    assert.equal(await members.getByText('adam@acme.example').count(), 0, 'the removed member stays gone');

    await nav(page, 'Audit log');
    const audit = page.getByRole('table', { name: 'Audit log' });
    for (const action of ['member.added', 'member.updated', 'member.removed']) await audit.getByText(action).first().waitFor();
  });

  it('takes the management controls away at once from an owner who makes themselves a developer', async (t) => {
    const { env, mailbox, cli } = await setUp(t);
    const tenant = await cli<{ id: string }>(['tenant', 'create', '--name', 'Acme Logistics']);
    await cli(['member', 'add', '--tenant', tenant.id, '--email', 'olivia@acme.example', '--role', 'owner']);
    // A second owner, so that Olivia is not the last one and may step down.
    await cli(['member', 'add', '--tenant', tenant.id, '--email', 'adam@acme.example', '--role', 'owner']);
    const server = await startServer(t, env);
    const page = await openPage(t);
    await signIn(page, server.url, mailbox, 'olivia@acme.example');
    await nav(page, 'Members');
    const members = page.getByRole('table', { name: 'Members' });
    await page.getByText('Your role: owner.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Add member' }).count(), 1);

    await members.getByLabel('Role of olivia@acme.example').selectOption('developer');
    await members.getByRole('button', { name: 'Save role' }).click();
    // Without a reload: the page now shows what a developer may do, and only that.
    await page.getByText('Your role: developer.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Add member' }).count(), 0, 'no add-member form for a developer');
    assert.equal(await members.getByRole('combobox').count(), 0, 'no role selects for a developer');
    assert.equal(await members.getByRole('button', { name: /^Remove / }).count(), 0, 'no remove buttons for a developer');
    await nav(page, 'API Access');
    await page.getByText('Keys that let machines call the API of Acme Logistics.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Create key' }).count(), 0, 'no create button for a developer');
  });

  it('narrows the request log to the HTTP status filtered on, and downloads what the filters match; the audit log likewise', async (t) => {
    const { env, mailbox, cli } = await setUp(t);
    const tenant = await cli<{ id: string }>(['tenant', 'create', '--name', 'Acme Logistics']);
    await cli(['member', 'add', '--tenant', tenant.id, '--email', 'olivia@acme.example', '--role', 'owner']);
    // One request per minute: the first call passes and the second is rate limited.
    const issued = await cli<{ secret: string }>(['key', 'create', '--tenant', tenant.id, '--name', 'prod-order-bot', '--env', 'production', '--rpm', '1']);
    const server = await startServer(t, env);
    const limits = `${server.url}/api/v1/m2m/tenants/${tenant.id}/limits`;
    assert.equal((await fetch(limits, { headers: { 'x-api-key': issued.secret } })).status, 200);
    assert.equal((await fetch(limits, { headers: { 'x-api-key': issued.secret } })).status, 429);
    const written = await eventually(async () => {
      const logs = await rootCall(server, 'GET', `/v1/tenants/${tenant.id}/request-logs`);
      return (logs.body as { data: unknown[] }).data.length === 2;
    }, 10_000);
    assert.ok(written, 'both requests reach the request log');

    const page = await openPage(t);
    await signIn(page, server.url, mailbox, 'olivia@acme.example');
    await nav(page, 'Request logs');
    const table = page.getByRole('table', { name: 'Request logs' });
    const statuses = () => table.locator('td[data-label="Status"]').allInnerTexts();
    await table.waitFor();
    await assertControlsLabelled(page, 'the request logs page');
    assert.deepEqual((await statuses()).sort(), ['200', '429']);

    // A status that is not one is refused before any request.
    await page.getByLabel('HTTP status').fill('abc');
    await page.getByText('Enter an HTTP status such as 401 or 429.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Apply filters' }).isDisabled(), true);

    await page.getByLabel('HTTP status').fill('429');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await table.locator('td[data-label="Status"]', { hasText: '200' }).waitFor({ state: 'detached' });
    assert.deepEqual(await statuses(), ['429']);
    assert.match(await table.innerText(), /rate_limited/);

    // The download holds what the filters show: here the one refused request, as CSV.
    const csv = await download(page, page.getByRole('link', { name: /^Download CSV of the request logs/ }));
    assert.match(csv.name, new RegExp(`^request-logs-${tenant.id}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const [header, ...rows] = csv.text.trimEnd().split('\r\n');
    assert.equal(header, 'id,at,tenant_id,key_id,method,path,status,code,latency_ms,ip,environment');
    assert.equal(rows.length, 1, csv.text);
    assert.match(rows[0] ?? '', /,429,rate_limited,/);
    assert.doesNotMatch(csv.text, new RegExp(issued.secret));

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await table.locator('td[data-label="Status"]', { hasText: '200' }).waitFor();
    assert.deepEqual((await statuses()).sort(), ['200', '429']);

    await nav(page, 'Audit log');
    await page.getByLabel('Action').selectOption('member.added');
    await page.getByRole('table', { name: 'Audit log' }).getByText('member.added').first().waitFor();
    const ndjson = await download(page, page.getByRole('link', { name: /^NDJSON of the audit entries/ }));
    assert.match(ndjson.name, /\.ndjson$/);
    const entries = ndjson.text.trimEnd().split('\n').map((line) => JSON.parse(line) as { action: string; details: { email?: string } });
    assert.deepEqual(entries.map((entry) => entry.action), ['member.added']);
  });

  it('says, on a server that logs only errors, that successful calls are counted but not listed', async (t) => {
    const { env, mailbox, cli } = await setUp(t, { LATCHKEY_REQUEST_LOG: 'errors' });
    const tenant = await cli<{ id: string }>(['tenant', 'create', '--name', 'Acme Logistics']);
    await cli(['member', 'add', '--tenant', tenant.id, '--email', 'olivia@acme.example', '--role', 'owner']);
    const issued = await cli<{ secret: string; key: { id: string } }>(['key', 'create', '--tenant', tenant.id, '--name', 'prod-order-bot', '--env', 'production']);
    const server = await startServer(t, env);
    for (let i = 0; i < 2; i++) {
      assert.equal((await fetch(`${server.url}/api/v1/m2m/tenants/${tenant.id}/limits`, { headers: { 'x-api-key': issued.secret } })).status, 200);
    }
    const counted = await eventually(async () => {
      const usage = await rootCall(server, 'GET', `/v1/tenants/${tenant.id}/keys/${issued.key.id}/usage`);
      return (usage.body as { data: { counts: Record<string, number> }[] }).data.some((d) => d.counts.valid === 2);
    }, 10_000);
    assert.ok(counted, 'both calls are counted');
    assert.deepEqual((await rootCall(server, 'GET', `/v1/tenants/${tenant.id}/request-logs`)).body, { data: [], next_cursor: null });

    const page = await openPage(t);
    await signIn(page, server.url, mailbox, 'olivia@acme.example');
    await page.getByRole('table', { name: 'API keys' }).getByRole('link', { name: 'prod-order-bot' }).click();
    await page.getByText('No refused requests with this key yet. This server logs only errors (LATCHKEY_REQUEST_LOG=errors); the usage above counts every call.').waitFor();
    await nav(page, 'Request logs');
    await page.getByText("This server does not log successful calls (LATCHKEY_REQUEST_LOG=errors); each key's usage counts them.", { exact: false }).waitFor();
    await page.getByText('No requests match these filters yet.').waitFor();
  });

  it('checks key settings as they are typed, and regenerates and deactivates a key with the same one-time reveal', async (t) => {
    // The deployment's scope list feeds the scope picker.
    const config = join(tempDir(t), 'latchkey.config.json');
    writeFileSync(config, JSON.stringify({ scopes: ['orders:read', 'orders:write', 'customers:read'] }));
    const { env, mailbox, cli } = await setUp(t, { LATCHKEY_CONFIG: config });
    const tenant = await cli<{ id: string }>(['tenant', 'create', '--name', 'Acme Logistics', '--plan', 'standard']);
    await cli(['member', 'add', '--tenant', tenant.id, '--email', 'olivia@acme.example', '--role', 'owner']);
    const inThreeDays = new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString();
    await cli(['key', 'create', '--tenant', tenant.id, '--name', 'staging-ci', '--env', 'staging', '--expires', inThreeDays]);
    const server = await startServer(t, env);
    const limits = `${server.url}/api/v1/m2m/tenants/${tenant.id}/limits`;
    const call = async (secret: string) => {
      const response = await fetch(limits, { headers: { 'x-api-key': secret } });
      return { status: response.status, code: response.ok ? 'valid' : ((await response.json()) as { code: string }).code };
    };
    const page = await openPage(t, 390);
    await signIn(page, server.url, mailbox, 'olivia@acme.example');

    // A key that expires within two weeks says so beside its expiry date.
    const keys = page.getByRole('table', { name: 'API keys' });
    const expires = keys.getByRole('row', { name: /staging-ci/ }).locator('td[data-label="Expires"]');
    assert.match(await expires.innerText(), new RegExp(`${inThreeDays.slice(0, 10)}\\s+expires soon`));

    await page.getByRole('button', { name: 'Create key' }).click();
    const create = page.getByRole('dialog', { name: 'Create API key' });
    await assertControlsLabelled(page, 'the create key dialog');
    await create.getByLabel('Name', { exact: true }).fill('prod-order-bot');
    // The standard plan has no never-expiring keys: no such choice, and one year is the default.
    const expiry = create.getByLabel('Expires');
    assert.equal(await expiry.inputValue(), '1y');
    assert.ok(!(await expiry.locator('option').allInnerTexts()).includes('Never'));
    // Allowed IPs and the rate limit are checked while typing, against the plan's ceiling.
    await create.getByLabel('Allowed IPs and CIDRs').fill('203.0.113.7, 10.0.0.300');
    await create.getByText('Not an IP address or CIDR: 10.0.0.300').waitFor();
    await create.getByLabel('Allowed IPs and CIDRs').fill('');
    await create.getByText('Not an IP address or CIDR').waitFor({ state: 'detached' });
    await create.getByLabel('Rate limit (requests per minute)').fill('5000');
    await create.getByText('The plan allows at most 1000 requests per minute.').waitFor();
    await create.getByLabel('Rate limit (requests per minute)').fill('500');
    await create.getByRole('group', { name: 'Scopes' }).getByLabel('orders:read').check();
    await create.getByRole('button', { name: 'Generate key' }).click();
    await stepUp(page, mailbox, 'olivia@acme.example');
    await page.getByRole('dialog', { name: 'Key created' }).waitFor();
    const snippet = await page.getByRole('tabpanel').innerText();
    const first = await takeSecret(page);
    assert.ok(snippet.includes(`X-API-Key: ${first}`), 'the curl snippet carries the key in X-API-Key');
    assert.equal((await call(first)).status, 200);

    // The filters narrow the list by environment and by status.
    await keys.getByRole('link', { name: 'prod-order-bot' }).waitFor();
    const row = keys.getByRole('row', { name: /prod-order-bot/ });
    assert.equal(await row.locator('td[data-label="Scopes"]').innerText(), 'orders:read');
    assert.equal(await row.locator('td[data-label="Rate limit"]').innerText(), '500/min');
    await page.getByLabel('Environment').selectOption('staging');
    await keys.getByRole('link', { name: 'prod-order-bot' }).waitFor({ state: 'detached' });
    assert.deepEqual(await keys.getByRole('link').allInnerTexts(), ['staging-ci']);
    await page.getByLabel('Environment').selectOption('');
    await page.getByLabel('Status').selectOption('revoked');
    await page.getByText('No key matches these filters.').waitFor();
    await page.getByLabel('Status').selectOption('active');
    await keys.getByRole('link', { name: 'prod-order-bot' }).click();
    await page.getByRole('heading', { name: 'prod-order-bot' }).waitFor();
    await assertControlsLabelled(page, "a key's page");
    await page.getByRole('button', { name: 'Regenerate secret' }).click();
    await page.getByRole('dialog', { name: 'Regenerate secret' }).getByRole('button', { name: 'Regenerate now' }).click();
    await page.getByRole('dialog', { name: 'Secret regenerated' }).waitFor();
    const second = await takeSecret(page);
    assert.notEqual(second, first);
    assert.deepEqual(await call(second), { status: 200, code: 'valid' });
    assert.equal((await call(first)).code, 'invalid_api_key', 'the old secret stops at once');

    await deactivateKey(page);
    await page.getByRole('button', { name: 'Activate key', exact: true }).waitFor();
    await page.getByRole('main').getByText('inactive', { exact: true }).waitFor();
    assert.equal((await call(second)).code, 'inactive_api_key');
    await page.getByRole('button', { name: 'Activate key', exact: true }).click();
    await page.getByRole('button', { name: 'Deactivate key' }).waitFor();
    assert.deepEqual(await call(second), { status: 200, code: 'valid' });
  });

  it('guides a first run from admin@localhost to a first tenant, and the demo fills every page', async (t) => {
    // A fresh install: no mail server and no operator list, so admin@localhost signs in with a code from the log.
    const env = { LATCHKEY_DATABASE_URL: `sqlite:${join(tempDir(t), 'latchkey.db')}` };
    const server = await startServer(t, env);
    assert.match(server.output(), /admin@localhost/);
    const page = await openPage(t);
    await page.goto(server.url);
    await page.getByText('Fresh install: sign in as admin@localhost', { exact: false }).waitFor();
    await page.getByText('sign-in codes are printed in the terminal', { exact: false }).waitFor();
    await page.getByLabel('E-mail address').fill('admin@localhost');
    await page.getByRole('button', { name: 'Send sign-in code' }).click();
    const codeLine = /Code for admin@localhost: (\d{6})/;
    assert.ok(await eventually(async () => codeLine.test(server.output()), 10_000), 'the sign-in code is printed in the terminal');
    await submitCode(page, codeLine.exec(server.output())?.[1] ?? '');
    await page.getByRole('heading', { name: 'No tenant yet' }).waitFor();
    const guide = await page.getByRole('main').innerText();
    assert.match(guide, /npx latchkey tenant create --name "Acme"/);
    assert.match(guide, /npx latchkey demo/);

    const runCliOk = async (args: string[]) => {
      const result = await runCli(args, env);
      assert.equal(result.code, 0, `latchkey ${args.join(' ')}: ${result.stderr}`);
    };
    await runCliOk(['tenant', 'create', '--name', 'Acme']);
    await page.getByRole('button', { name: 'Check again' }).click();
    await page.getByRole('heading', { name: 'No API keys yet' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Create key' }).count(), 1, 'the operator may create the first key');

    await runCliOk(['demo']);
    await page.reload();
    await page.getByLabel('Tenant', { exact: true }).selectOption({ label: 'Acme Logistics' });
    const keys = page.getByRole('table', { name: 'API keys' });
    await keys.getByRole('link', { name: 'prod-order-bot' }).waitFor();
    for (const status of ['active', 'inactive', 'revoked']) await keys.getByText(status, { exact: true }).first().waitFor();
    await nav(page, 'Request logs');
    await page.getByRole('table', { name: 'Request logs' }).getByText('valid', { exact: true }).first().waitFor();
    await nav(page, 'Audit log');
    await page.getByRole('table', { name: 'Audit log' }).getByText('key.rotated').first().waitFor();
    await nav(page, 'Members');
    const members = page.getByRole('table', { name: 'Members' });
    await members.getByText('victor.viewer@example.com').waitFor();
    assert.equal(await members.locator('tbody tr').count(), 4);
    await nav(page, 'API Access');
    await keys.getByRole('link', { name: 'prod-order-bot' }).click();
    const usage = await page.getByRole('img', { name: /^Last 7 days, per day: \d+ requests/ }).getAttribute('aria-label');
    assert.ok(Number(/: (\d+) requests/.exec(usage ?? '')?.[1]) > 0, `the usage chart shows traffic: ${usage}`);
  });
});
