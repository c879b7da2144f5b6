// What the dashboard's controls offer and say before anything is sent: a role changes only when saved, a plan's
// limits are told up front and not guessed while it loads, keys of one name can be told apart, times say their zone;
// and a field the server refuses is shown on its input, as the form's own checks are.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Locator, Page, Request } from 'playwright-core';
import { browserSkipReason, ensureDashboardBuilt } from '../support/browser.js';
import { ensureBuilt, eventually, type ServerProcess, startServer } from '../support/processes.js';
import { nav, openPage, OWNER, rootCall, setUp, signedInOwner } from './dashboard-setup.js';
import { createKeyStepped, signIn, stepUp, takeSecret } from './dashboard-steps.js';

const ADMIN = 'adam@acme.example';





async function roleOf(server: ServerProcess, tenantId: string, email: string): Promise<string | undefined> {
  const listed = (await rootCall(server, 'GET', `/v1/tenants/${tenantId}/members`)).body as { data: Array<{ email: string; role: string }> };
  return listed.data.find((m) => m.email === email)?.role;
}

/** Whether `input` is marked invalid with `problem` among what describes it, and has the keyboard focus. */
async function problemOn(page: Page, input: Locator, problem: string): Promise<{ invalid: string | null; said: string[]; focused: boolean }> {
  const describedBy = ((await input.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
  const said = await Promise.all(describedBy.map((id) => page.locator(`[id="${id}"]`).innerText()));
  return { invalid: await input.getAttribute('aria-invalid'), said: said.filter((text) => text === problem), focused: await input.evaluate((el) => el === document.activeElement) };
}

describe("the dashboard's forms, in Chromium", { skip: browserSkipReason() }, () => {
  before(() => {
    ensureBuilt();
    ensureDashboardBuilt();
  });

  it('changes a role only when "Save role" is pressed, and says first what a change of rights means', async (t) => {
    const { server, page, tenantId } = await signedInOwner(t, {
      before: async ({ cli }, tenant) => {
        await cli(['member', 'add', '--tenant', tenant, '--email', 'victor@acme.example', '--role', 'viewer']);
      },
    });
    let patches = 0;
    page.on('request', (request: Request) => {
      if (request.method() === 'PATCH' && new URL(request.url()).pathname.startsWith(`/v1/tenants/${tenantId}/members/`)) patches++;
    });
    await nav(page, 'Members');
    const members = page.getByRole('table', { name: 'Members' });
    const victor = members.getByRole('row').filter({ hasText: 'victor@acme.example' });
    const victorRole = victor.getByLabel('Role of victor@acme.example');

    // Browsing the options with the keyboard sends nothing.
    await victorRole.focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    assert.equal(await victorRole.inputValue(), 'admin');
    await victor.getByRole('button', { name: 'Save role' }).waitFor();
    assert.equal(patches, 0, 'no change is sent before "Save role"');
    assert.equal(await roleOf(server, tenantId, 'victor@acme.example'), 'viewer');

    await victorRole.selectOption('owner');
    await victor.getByText('As owner they will be able to create, change and revoke keys', { exact: false }).waitFor();
    await victor.getByRole('button', { name: 'Save role' }).click();
    // Saved once the buttons are gone: "Save role" alone goes as soon as it says "Saving…", before the answer.
    await victor.getByRole('button', { name: 'Keep viewer' }).waitFor({ state: 'detached' });
    assert.equal(patches, 1);
    assert.equal(await roleOf(server, tenantId, 'victor@acme.example'), 'owner');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Role of victor@acme.example', 'focus stays on the role');

    // Stepping down oneself is said first, and can be taken back before anything is sent.
    const olivia = members.getByRole('row').filter({ hasText: OWNER });
    await olivia.getByLabel(`Role of ${OWNER}`).selectOption('developer');
    await olivia.getByText('You will no longer be able to change keys or members here', { exact: false }).waitFor();
    await olivia.getByRole('button', { name: 'Keep owner' }).click();
    assert.equal(await olivia.getByLabel(`Role of ${OWNER}`).inputValue(), 'owner');
    assert.equal(await olivia.getByRole('button', { name: 'Save role' }).count(), 0);
    assert.equal(patches, 1);
    assert.equal(await roleOf(server, tenantId, OWNER), 'owner');
  });

  it("offers no role change or removal of the last owner, and keeps the Role column's width when a role is picked", async (t) => {
    const { page } = await signedInOwner(t, { before: async ({ cli }, tenant) => {
      await cli(['member', 'add', '--tenant', tenant, '--email', 'victor@acme.example', '--role', 'viewer']);
    } });
    await nav(page, 'Members');
    const members = page.getByRole('table', { name: 'Members' });
    const olivia = members.getByRole('row').filter({ hasText: OWNER });
    await olivia.getByText('The only owner: make someone else owner first.').waitFor();
    assert.equal(await olivia.getByRole('combobox').count(), 0, 'no role select');
    assert.equal(await olivia.getByRole('button', { name: `Remove ${OWNER}` }).count(), 0, 'no Remove');

    const roleColumn = members.getByRole('columnheader', { name: 'Role' });
    const before = (await roleColumn.boundingBox())?.width;
    await page.getByLabel('Role of victor@acme.example').selectOption('owner');
    await members.getByRole('button', { name: 'Save role' }).waitFor();
    assert.equal((await roleColumn.boundingBox())?.width, before, 'the Role column keeps its width');
  });

  it('offers an admin no owner role and no owner changes, and drops an old refusal of Add member once the form is edited', async (t) => {
    const { env, mailbox, cli } = await setUp(t);
    const tenant = await cli<{ id: string }>(['tenant', 'create', '--name', 'Acme Logistics', '--plan', 'pro']);
    await cli(['member', 'add', '--tenant', tenant.id, '--email', OWNER, '--role', 'owner']);
    await cli(['member', 'add', '--tenant', tenant.id, '--email', ADMIN, '--role', 'admin']);
    const server = await startServer(t, env);
    const page = await openPage(t);
    await signIn(page, server.url, mailbox, ADMIN);
    await nav(page, 'Members');
    const olivia = page.getByRole('table', { name: 'Members' }).getByRole('row').filter({ hasText: OWNER });
    await olivia.getByText('Only an owner can change or remove an owner.').waitFor();
    assert.equal(await olivia.getByText('make someone else owner first', { exact: false }).count(), 0, 'nothing an admin could do');
    const role = page.getByLabel('Role', { exact: true });
    assert.equal(await role.locator('option[value="owner"]').isDisabled(), true, 'an admin cannot make an owner');
    assert.equal(await role.locator('option[value="admin"]').isDisabled(), false);

    await page.getByLabel('E-mail address').fill(OWNER);
    await page.getByRole('button', { name: 'Add member' }).click();
    const alreadyMember = page.getByText('is already a member of this tenant', { exact: false });
    await alreadyMember.waitFor();
    await page.getByLabel('E-mail address').fill('bea@acme.example');
    assert.equal(await alreadyMember.count(), 0, 'the refusal was about the address before');
    await page.getByLabel('E-mail address').fill(OWNER);
    await page.getByRole('button', { name: 'Add member' }).click();
    await alreadyMember.waitFor();
    await page.getByLabel('Phone (optional)').fill('0151');
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByText('Use the international format', { exact: false }).waitFor();
    assert.equal(await alreadyMember.count(), 0, 'a new attempt drops the last answer');
  });

  it('says up front that a plan without M2M API access takes no keys', async (t) => {
    const { page } = await signedInOwner(t, { plan: 'free' });
    const create = page.getByRole('button', { name: 'Create key' });
    await page.getByText('The free plan has no M2M API access, so keys cannot be created', { exact: false }).waitFor();
    assert.equal(await create.isDisabled(), true, 'Create key cannot be pressed');
    const describedBy = (await create.getAttribute('aria-describedby')) ?? '';
    assert.match(await page.locator(`[id="${describedBy}"]`).innerText(), /no M2M API access/, 'the button says why');
  });

  it("says on API Access, in the secret dialog and on the key's page that keys of a suspended tenant are refused until it is active", async (t) => {
    const { page, mailbox } = await signedInOwner(t, { before: async ({ cli }, tenant) => {
      await cli(['tenant', 'update', tenant, '--status', 'suspended']);
    } });
    const refused = 'Acme Logistics is suspended: every one of its keys is refused with 403 tenant_not_active until an operator makes the tenant active.';
    await page.getByText(refused, { exact: false }).waitFor();
    const reveal = await createKeyStepped(page, mailbox, OWNER, 'prod-order-bot');
    await reveal.getByText('while the tenant is suspended, it answers 403 tenant_not_active, and 200 once an operator makes the tenant active.', { exact: false }).waitFor();
    assert.equal(await reveal.getByText('a working key answers 200', { exact: false }).count(), 0, 'no promise of a 200 now');
    await takeSecret(page);
    // The key's own page says it too: that is where someone checking why their key fails looks.
    await page.getByRole('table', { name: 'API keys' }).getByRole('link', { name: 'prod-order-bot' }).click();
    await page.getByRole('heading', { name: 'prod-order-bot', level: 1 }).waitFor();
    await page.getByText(refused, { exact: false }).waitFor();
  });

  it('claims no plan limit on expiry while the plan is still loading', async (t) => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { page } = await signedInOwner(t, {
      onPage: async (page, tenantId) => {
        // The tenant (and so its plan) answers only when the test says so.
        await page.route(`**/v1/tenants/${tenantId}`, async (route) => {
          await held;
          await route.continue();
        });
      },
    });
    await page.getByRole('button', { name: 'Create key' }).click();
    const create = page.getByRole('dialog', { name: 'Create API key' });
    const expires = create.getByLabel('Expires');
    await expires.waitFor();
    assert.equal(await create.getByText('need a plan that allows them', { exact: false }).count(), 0, 'no plan restriction claimed before the plan is known');
    assert.ok((await expires.locator('option').allInnerTexts()).includes('Never'));

    release();
    await page.getByText('Keys that let machines call the API of Acme Logistics.').waitFor();
    assert.equal(await create.getByText('need a plan that allows them', { exact: false }).count(), 0, 'the pro plan allows keys that never expire');
    assert.ok((await expires.locator('option').allInnerTexts()).includes('Never'));
  });

  it('tells keys of one name apart in the log filter, reads its times as UTC and counts requests in whole numbers', async (t) => {
    const hints: string[] = [];
    const { page, tenantId } = await signedInOwner(t, {
      timezoneId: 'America/New_York',
      before: async ({ cli }, tenant) => {
        for (let i = 0; i < 2; i++) {
          const issued = await cli<{ key: { start: string; end: string } }>(['key', 'create', '--tenant', tenant, '--name', 'prod-double', '--env', 'production']);
          hints.push(`${issued.key.start}…${issued.key.end}`);
        }
      },
    });
    await nav(page, 'Request logs');
    const keyFilter = page.getByLabel('Key', { exact: true });
    // The keys load after the page: wait for both before reading the options.
    await keyFilter.locator('option', { hasText: 'prod-double' }).nth(1).waitFor({ state: 'attached' });
    const options = (await keyFilter.locator('option').allInnerTexts()).filter((text) => text.startsWith('prod-double'));
    assert.deepEqual(options.sort(), hints.map((hint) => `prod-double (production, ${hint})`).sort());

    const from = page.getByLabel('From (UTC)');
    await from.fill('2026-12-01T10:00');
    await page.getByLabel('To (UTC)').fill('2026-12-02T10:00');
    const asked = page.waitForRequest((request) => new URL(request.url()).pathname === `/v1/tenants/${tenantId}/request-logs` && request.url().includes('from='));
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const query = new URL((await asked).url()).searchParams;
    assert.equal(query.get('from'), '2026-12-01T10:00:00Z', '10:00 typed in New York is 10:00 UTC, as labelled');
    assert.equal(query.get('to'), '2026-12-02T10:00:00Z');

    // A key without traffic: the usage chart's axis has no fractional request counts.
    await nav(page, 'API Access');
    await page.getByRole('table', { name: 'API keys' }).getByRole('link', { name: 'prod-double' }).first().click();
    const ticks = page.locator('.chart-grid text');
    await ticks.first().waitFor();
    for (const tick of await ticks.allTextContents()) assert.match(tick, /^\d+$/, `a whole number of requests: ${tick}`);
  });

  it('checks the log time range beside its fields, keeps the list, and shows the whole date-time at 1280 pixels', async (t) => {
    const { page, tenantId } = await signedInOwner(t);
    const ranges: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === `/v1/tenants/${tenantId}/request-logs` && request.url().includes('from=')) ranges.push(request.url());
    });
    await nav(page, 'Request logs');
    await page.getByText('No requests match these filters yet.').waitFor();
    const from = page.getByLabel('From (UTC)');
    const to = page.getByLabel('To (UTC)');
    await from.fill('2026-06-02T10:00');
    await to.fill('2026-06-01T10:00');
    await page.getByLabel('HTTP status').press('Enter');
    for (const input of [from, to]) assert.deepEqual(await problemOn(page, input, 'From must not be after To.'), { invalid: 'true', said: ['From must not be after To.'], focused: false });
    assert.equal(await page.getByRole('button', { name: 'Apply filters' }).isDisabled(), true);
    assert.deepEqual(ranges, [], 'nothing sent');
    assert.equal(await page.getByText('No requests match these filters yet.').isVisible(), true, 'the list stays');

    // Each input is at least as wide as it would be on its own, so "10:00 AM" is not cut off.
    for (const input of [from, to]) {
      const [actual, needed] = await input.evaluate((el) => {
        const alone = el.cloneNode() as HTMLInputElement;
        alone.style.cssText = 'width: auto; min-width: 0; max-width: none; position: absolute';
        document.body.append(alone);
        const width = alone.offsetWidth;
        alone.remove();
        return [(el as HTMLElement).offsetWidth, width];
      });
      assert.ok(actual >= needed, `${actual} px wide, ${needed} px needed`);
    }
  });

  it('shows the exact UTC time of log and audit rows on screen, and says the usage axis is in UTC', async (t) => {
    let secret = '';
    let keyId = '';
    const { server, page, tenantId } = await signedInOwner(t, { before: async ({ cli }, tenant) => {
      const issued = await cli<{ secret: string; key: { id: string } }>(['key', 'create', '--tenant', tenant, '--name', 'prod-order-bot', '--env', 'production']);
      secret = issued.secret;
      keyId = issued.key.id;
    } });
    assert.equal((await fetch(`${server.url}/api/v1/m2m/tenants/${tenantId}/limits`, { headers: { 'x-api-key': secret } })).status, 200);
    assert.ok(await eventually(async () => ((await rootCall(server, 'GET', `/v1/tenants/${tenantId}/request-logs`)).body as { data: unknown[] }).data.length === 1, 10_000));
    const exact = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\n/;

    await nav(page, 'Request logs');
    const log = page.getByRole('table', { name: 'Request logs' });
    assert.match(await log.getByRole('row').nth(1).getByRole('cell').first().innerText(), exact);
    await nav(page, 'Audit log');
    const audit = page.getByRole('table', { name: 'Audit log' });
    assert.match(await audit.getByRole('row').nth(1).getByRole('cell').first().innerText(), exact);

    await page.goto(`${server.url}/keys/${keyId}?tenant=${tenantId}`);
    const hourly = page.locator('figure.chart').first();
    await hourly.locator('svg text', { hasText: 'UTC' }).waitFor();
    // No two labels of the chart touch (the zone once ran into the first hour: "UTC14:00").
    const boxes = await hourly.locator('svg text').evaluateAll((texts) =>
      texts.map((text) => ({ text: text.textContent ?? '', box: text.getBoundingClientRect().toJSON() as { left: number; right: number; top: number; bottom: number } })),
    );
    const overlapping = boxes.flatMap((a, i) =>
      boxes.slice(i + 1).filter((b) => a.box.left < b.box.right && b.box.left < a.box.right && a.box.top < b.box.bottom && b.box.top < a.box.bottom).map((b) => `${a.text} / ${b.text}`),
    );
    assert.deepEqual(overlapping, []);
  });

  it("shows the form's and the server's problems of a field on that input and focuses it, in Create key and in a key's settings", async (t) => {
    const { page, mailbox } = await signedInOwner(t);
    await page.getByRole('button', { name: 'Create key' }).click();
    const create = page.getByRole('dialog', { name: 'Create API key' });
    await create.getByLabel('Name', { exact: true }).fill('prod-order-bot');
    // Valid JSON but over the server's 4096 bytes: the form says so itself, on the input, before anything is sent.
    const meta = create.getByLabel('Meta (JSON)');
    await meta.fill(JSON.stringify({ note: 'x'.repeat(5000) }));
    await create.getByRole('button', { name: 'Generate key' }).click();
    const tooBig = 'Meta may be at most 4096 bytes as JSON; this is 5011.';
    await create.getByText(tooBig).waitFor();
    assert.deepEqual(await problemOn(page, meta, tooBig), { invalid: 'true', said: [tooBig], focused: true });
    await create.getByText('Fix the fields marked above.').waitFor();
    assert.equal(await create.getByRole('heading', { name: 'Confirm it is you' }).count(), 0, 'nothing sent, so no step-up');

    // Editing the field takes its problem away; the key is then created.
    await meta.fill('{"team": "billing"}');
    assert.equal(await meta.getAttribute('aria-invalid'), 'false');
    await create.getByRole('button', { name: 'Generate key' }).click();
    await stepUp(page, mailbox, OWNER);
    await page.getByRole('dialog', { name: 'Key created' }).waitFor();
    await takeSecret(page);

    // A scope over 100 characters: the server names the entry of the list, in plain words, and it takes the focus.
    await page.getByRole('table', { name: 'API keys' }).getByRole('link', { name: 'prod-order-bot' }).click();
    const settings = page.getByRole('form', { name: 'Key settings' });
    const longScope = `orders:${'r'.repeat(100)}`;
    await settings.getByLabel('Other scope').fill(longScope);
    await settings.getByRole('button', { name: 'Add scope' }).click();
    await settings.getByRole('button', { name: 'Save settings' }).click();
    const scopeTooLong = 'Entry 1 must have at most 100 characters.';
    await settings.getByText(scopeTooLong).waitFor();
    const scope = settings.getByRole('checkbox', { name: longScope });
    assert.deepEqual(await problemOn(page, scope, scopeTooLong), { invalid: 'true', said: [scopeTooLong], focused: true });

    // A customer ID over 100 characters is said by the form itself, with its place in the list.
    const customers = settings.getByLabel('Customer IDs');
    await customers.fill(`cus_42\n${'c'.repeat(101)}`);
    const customerTooLong = 'A customer ID may have at most 100 characters: entry 2 has 101.';
    await settings.getByText(customerTooLong).waitFor();
    assert.deepEqual(await problemOn(page, customers, customerTooLong), { invalid: 'true', said: [customerTooLong], focused: true });
    assert.equal(await settings.getByText('Settings saved.').count(), 0);
  });

  it('keeps the focus after a click on Add member or a removal: on the field to correct, the e-mail field, or the Members table', async (t) => {
    const { page } = await signedInOwner(t);
    await nav(page, 'Members');
    const form = page.getByRole('form', { name: 'Add a member' });
    const focusedId = () => page.evaluate(() => (document.activeElement === document.body ? 'body' : (document.activeElement?.id ?? '')));

    // An invalid phone stops the submit, as an invalid field of the key forms does: the phone takes the focus.
    await form.getByLabel('E-mail address').fill('bea@acme.example');
    await form.getByLabel('Phone (optional)').fill('0151');
    await form.getByRole('button', { name: 'Add member' }).click();
    assert.equal(await focusedId(), 'member-phone');

    // Added: the e-mail field, empty for the next person.
    await form.getByLabel('Phone (optional)').fill('');
    await form.getByRole('button', { name: 'Add member' }).click();
    await form.getByText('bea@acme.example was added.', { exact: false }).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'member-email');

    // Refused (409, already a member): the e-mail field, holding the address.
    await form.getByLabel('E-mail address').fill(OWNER);
    await form.getByRole('button', { name: 'Add member' }).click();
    await form.getByText('is already a member of this tenant', { exact: false }).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'member-email');
    assert.equal(await form.getByLabel('E-mail address').inputValue(), OWNER);

    // Removed: the row and its button are gone; the table the member left takes the focus, not <body>.
    const members = page.getByRole('table', { name: 'Members' });
    await members.getByRole('button', { name: 'Remove bea@acme.example' }).click();
    await page.getByRole('dialog', { name: 'Remove member' }).getByRole('button', { name: 'Remove member' }).click();
    await members.getByText('bea@acme.example').waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Members');
    assert.notEqual(await focusedId(), 'body');
  });
});
