// What the dashboard's dialogs hold to: a destructive action starts on Cancel and says what it stops, a filled form
// is not lost to a stray click, Escape closes only what is innermost, and a wrong code is shown and said on its input.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSkipReason, ensureDashboardBuilt } from '../support/browser.js';
import { ensureBuilt } from '../support/processes.js';
import { signedInOwner } from './dashboard-setup.js';

/** The accessible text of the element that has the keyboard focus ('body' when none has). */
function focusedText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement;
    if (!active || active === document.body) return 'body';
    return active.id || active.textContent?.trim() || active.tagName;
  });
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
});
