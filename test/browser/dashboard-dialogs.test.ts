// What the dashboard's dialogs hold to: a destructive action starts on Cancel and says what it stops, a filled form
// is not lost to a stray click, Escape closes only what is innermost, a wrong code is shown and said on its input,
// and a step-up code blocked by wrong tries is not offered again as "the code already sent" by the next panel.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSkipReason, ensureDashboardBuilt } from '../support/browser.js';
import { ensureBuilt, startServer } from '../support/processes.js';
import { OWNER, openPage, setUp, signedInOwner } from './dashboard-setup.js';
import { stepUp, takeSecret } from './dashboard-steps.js';

/** The accessible text of the element that has the keyboard focus ('body' when none has). */
function focusedText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement;
    if (!active || active === document.body) return 'body';
    return active.id || active.textContent?.trim() || active.tagName;
  });
}

/** A code that is not `code` (the next one up). */
function wrongCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

/** Whether the code input with `id` is marked invalid and described by the alert that says why. */
async function refusedOn(page: Page, id: string): Promise<{ invalid: string | null; describedByAlert: boolean }> {
  const input = page.locator(`[id="${id}"]`);
  const describedBy = ((await input.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
  const roles = await Promise.all(describedBy.map((ref) => page.locator(`[id="${ref}"]`).getAttribute('role')));
  return { invalid: await input.getAttribute('aria-invalid'), describedByAlert: roles.includes('alert') };
}

/** Counts the POSTs the page makes to a path ending in `suffix`. */
function countPosts(page: Page, suffix: string): { count: number } {
  const counter = { count: 0 };
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname.endsWith(suffix)) counter.count++;
  });
  return counter;
}

describe("the dashboard's dialogs, in Chromium", { skip: browserSkipReason() }, () => {
  before(() => {
    ensureBuilt();
    ensureDashboardBuilt();
  });

  it('starts regenerate and deactivate on Cancel, confirms a deactivation and says what activate and deactivate did', async (t) => {
    let keyId = '';
    const { server, page, tenantId } = await signedInOwner(t, { before: async ({ cli }, tenant) => {
      keyId = (await cli<{ key: { id: string } }>(['key', 'create', '--tenant', tenant, '--name', 'prod-order-bot', '--env', 'production'])).key.id;
    } });
    const regenerations = countPosts(page, '/regenerate');
    const deactivations = countPosts(page, '/deactivate');
    await page.goto(`${server.url}/keys/${keyId}?tenant=${tenantId}`);

    // Two Enter presses on "Regenerate secret" open the dialog and cancel it.
    await page.getByRole('button', { name: 'Regenerate secret' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Regenerate secret' }).waitFor();
    assert.equal(await focusedText(page), 'Cancel');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Regenerate secret' }).waitFor({ state: 'detached' });
    assert.equal(regenerations.count, 0, 'nothing regenerated');

    // The same for "Deactivate key", whose dialog says what callers will get.
    await page.getByRole('button', { name: 'Deactivate key' }).focus();
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('dialog', { name: 'Deactivate key' });
    await confirm.getByText('401 inactive_api_key').waitFor();
    assert.equal(await focusedText(page), 'Cancel');
    await page.keyboard.press('Enter');
    await confirm.waitFor({ state: 'detached' });
    assert.equal(deactivations.count, 0, 'nothing deactivated');

    const status = page.getByRole('region', { name: 'Actions' }).getByRole('status');
    await page.getByRole('button', { name: 'Deactivate key' }).click();
    await confirm.getByRole('button', { name: 'Deactivate now' }).click();
    await page.getByRole('button', { name: 'Activate key', exact: true }).waitFor();
    assert.equal(deactivations.count, 1);
    assert.equal(await status.getAttribute('aria-live'), 'polite');
    assert.match(await status.innerText(), /“prod-order-bot” is deactivated: requests with it get 401 inactive_api_key/);
    await page.getByRole('button', { name: 'Activate key', exact: true }).click();
    await page.getByRole('button', { name: 'Deactivate key' }).waitFor();
    assert.equal(await status.innerText(), '“prod-order-bot” is active again.');
  });

  it("drops a status note once another action starts or changes the key, and the Actions hint stops offering Rotate once it is done", async (t) => {
    let keyId = '';
    const { server, page, tenantId, mailbox } = await signedInOwner(t, { before: async ({ cli }, tenant) => {
      keyId = (await cli<{ key: { id: string } }>(['key', 'create', '--tenant', tenant, '--name', 'prod-order-bot', '--env', 'production'])).key.id;
    } });
    // The If-Match of each save: the key's version, which follows the key through the actions taken here.
    const ifMatches: Array<string | undefined> = [];
    page.on('request', (request) => {
      if (request.method() === 'PATCH' && new URL(request.url()).pathname === `/v1/tenants/${tenantId}/keys/${keyId}`) ifMatches.push(request.headers()['if-match']);
    });
    await page.goto(`${server.url}/keys/${keyId}?tenant=${tenantId}`);
    const actions = page.getByRole('region', { name: 'Actions' });
    const status = actions.getByRole('status');
    const settings = page.getByRole('form', { name: 'Key settings' });
    const saved = settings.getByText('Settings saved.');

    await page.getByRole('button', { name: 'Deactivate key' }).click();
    await page.getByRole('dialog', { name: 'Deactivate key' }).getByRole('button', { name: 'Deactivate now' }).click();
    await page.getByRole('button', { name: 'Activate key', exact: true }).click();
    await status.getByText('“prod-order-bot” is active again.').waitFor();
    await page.getByRole('button', { name: 'Regenerate secret' }).click();
    assert.equal(await status.innerText(), '', 'another action started');
    await page.getByRole('dialog', { name: 'Regenerate secret' }).getByRole('button', { name: 'Regenerate now' }).click();
    await stepUp(page, mailbox, OWNER);
    await takeSecret(page);
    assert.equal(await status.innerText(), '');

    await settings.getByLabel('Name', { exact: true }).fill('prod-order-bot-2');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await saved.waitFor();
    // Made on a version, and saved: the version of the key as the regenerate left it, read again after it.
    assert.equal(ifMatches.length, 1);
    assert.match(ifMatches[0] ?? 'none', /^"[A-Za-z0-9_-]{22}"$/);
    assert.match(await actions.innerText(), /Rotate creates a new key/);
    await page.getByRole('button', { name: 'Rotate key' }).click();
    await page.getByRole('dialog', { name: 'Rotate key' }).getByRole('button', { name: 'Rotate now' }).click();
    await page.getByRole('dialog', { name: 'Key rotated: the new key' }).waitFor();
    await takeSecret(page);
    await page.getByRole('region', { name: 'Rotation' }).waitFor();
    assert.equal(await saved.count(), 0, 'the rotation is the news now, not the save before it');
    assert.equal(await page.getByRole('button', { name: 'Rotate key' }).count(), 0);
    assert.doesNotMatch(await actions.innerText(), /Rotate creates/, 'no word about a button that is gone');
    assert.match(await actions.innerText(), /The key has been rotated: the Rotation panel below shows the key that replaces it\./);
  });

  it('keeps a filled create-key form on a click beside it, and Escape in the step-up closes only the step-up', async (t) => {
    const { page } = await signedInOwner(t);
    const dialog = page.getByRole('dialog', { name: 'Create API key' });
    // Untouched, a click beside the dialog closes it.
    await page.getByRole('button', { name: 'Create key' }).click();
    await dialog.waitFor();
    await page.mouse.click(5, 5);
    await dialog.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Create key' }).click();
    await dialog.getByLabel('Name').fill('prod-order-bot');
    await page.mouse.click(5, 5);
    assert.equal(await dialog.isVisible(), true, 'a filled form stays');

    await dialog.getByRole('button', { name: 'Generate key' }).click();
    await dialog.getByRole('heading', { name: 'Confirm it is you' }).waitFor();
    await page.keyboard.press('Escape');
    await dialog.getByRole('heading', { name: 'Confirm it is you' }).waitFor({ state: 'detached' });
    assert.equal(await dialog.isVisible(), true, 'Escape in the step-up closes only the step-up');
    assert.equal(await dialog.getByLabel('Name').inputValue(), 'prod-order-bot');
    assert.notEqual(await focusedText(page), 'body', 'the focus stays in the dialog');

    // Escape outside the step-up is deliberate, like Cancel: it closes the dialog.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('shows a refused step-up code in view and on its input, and a step-up reopened on a blocked code says so', async (t) => {
    const { page, mailbox } = await signedInOwner(t);
    await page.setViewportSize({ width: 1280, height: 600 });
    const dialog = page.getByRole('dialog', { name: 'Create API key' });
    await page.getByRole('button', { name: 'Create key' }).click();
    await dialog.getByLabel('Name').fill('prod-order-bot');
    await dialog.getByRole('button', { name: 'Generate key' }).click();
    const before = mailbox.mails.length;
    await dialog.getByRole('button', { name: 'Send verification code' }).click();
    const wrong = wrongCode(await mailbox.code(OWNER, before));
    await dialog.getByLabel('Verification code').fill(wrong);
    await page.keyboard.press('Enter');
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    const [alertBox, dialogBox] = await Promise.all([alert.boundingBox(), dialog.boundingBox()]);
    assert.ok(alertBox && dialogBox && alertBox.y + alertBox.height <= dialogBox.y + dialogBox.height, 'the message is within the dialog\'s visible area');
    assert.deepEqual(await refusedOn(page, 'step-up-code'), { invalid: 'true', describedByAlert: true });

    // Four more wrong tries block the code; the panel is cancelled and opened again within the cooldown.
    for (let attempt = 2; attempt <= 5; attempt++) {
      await Promise.all([
        page.waitForResponse((response) => new URL(response.url()).pathname === '/v1/auth/step-up/verify'),
        dialog.getByRole('button', { name: 'Verify and continue' }).click(),
      ]);
    }
    await alert.getByText('Code blocked after too many wrong tries.').waitFor();
    await dialog.getByRole('button', { name: 'Cancel verification' }).click();
    await dialog.getByRole('heading', { name: 'Confirm it is you' }).waitFor({ state: 'detached' });
    await dialog.getByRole('button', { name: 'Generate key' }).click();
    await dialog.getByRole('heading', { name: 'Confirm it is you' }).waitFor();

    // Before anything is pressed, the new panel says the last code is blocked and counts down to a new one with the
    // same number as its button, which cannot send yet; there is no code to enter, and no "code already sent".
    await alert.getByText('The last code was blocked after too many wrong tries.').waitFor();
    const [said, button] = await page.evaluate(() => [
      document.querySelector('.step-up [role="alert"]')?.textContent ?? '',
      Array.from(document.querySelectorAll('.step-up button')).find((b) => b.textContent?.startsWith('Send a new code'))?.textContent ?? '',
    ]);
    const seconds = /^Send a new code in (\d+) s$/.exec(button ?? '')?.[1];
    assert.ok(seconds, `the send button counts down: "${button}"`);
    assert.equal(said, `The last code was blocked after too many wrong tries. You can ask for a new code in ${seconds} s.`);
    assert.equal(await dialog.getByRole('button', { name: /^Send a new code in \d+ s$/ }).isDisabled(), true, 'no send into the cooldown');
    assert.equal(await dialog.getByLabel('Verification code').count(), 0, 'no code to enter');
    assert.doesNotMatch(await dialog.innerText(), /already sent|Enter it if/);
    assert.equal(await focusedText(page), 'step-up-title', 'the heading takes the focus the send button cannot');
  });

  it('keeps the focus on the sign-in code after a wrong code, marked invalid', async (t) => {
    const setup = await setUp(t);
    const tenant = await setup.cli<{ id: string }>(['tenant', 'create', '--name', 'Acme Logistics']);
    await setup.cli(['member', 'add', '--tenant', tenant.id, '--email', OWNER, '--role', 'owner']);
    const server = await startServer(t, setup.env);
    const page = await openPage(t);
    await page.goto(server.url);
    await page.getByLabel('E-mail address').fill(OWNER);
    const before = setup.mailbox.mails.length;
    await page.getByRole('button', { name: 'Send sign-in code' }).click();
    await page.getByLabel('Sign-in code').fill(wrongCode(await setup.mailbox.code(OWNER, before)));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(await focusedText(page), 'sign-in-code');
    assert.deepEqual(await refusedOn(page, 'sign-in-code'), { invalid: 'true', describedByAlert: true });
  });
});
