// What the dashboard's layout holds to on a desktop and a phone: a key name of the longest allowed length wraps
// instead of widening the page, and the main navigation stays within the screen.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSkipReason, ensureDashboardBuilt } from '../support/browser.js';
import { ensureBuilt, startServer } from '../support/processes.js';
import { nav, OPERATOR, openPage, OWNER, rootCall, setUp, signedInOwner } from './dashboard-setup.js';
import { signIn, stepUp } from './dashboard-steps.js';

/** The server's longest key name (100 characters). */
const LONGEST_NAME = `prod-${'x'.repeat(95)}`;
const SCREENS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];

/** How far the page, or an open dialog, is wider than the screen (0 when nothing overflows sideways). */
async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const dialog = document.querySelector<HTMLElement>('[role="dialog"]');
    const dialogOverflow = dialog ? dialog.scrollWidth - dialog.clientWidth : 0;
    return Math.max(root.scrollWidth - root.clientWidth, dialogOverflow);
  });
}

describe("the dashboard's layout, in Chromium", { skip: browserSkipReason() }, () => {
  before(() => {
    ensureBuilt();
    ensureDashboardBuilt();
  });

  it('wraps a 100-character key name on the key list, key page and secret dialog, at 1280 and 390 pixels', async (t) => {
    const { page, mailbox } = await signedInOwner(t);
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByLabel('Name').fill(LONGEST_NAME);
    await page.getByRole('button', { name: 'Generate key' }).click();
    await stepUp(page, mailbox, OWNER);
    await page.getByTestId('secret-value').waitFor();
    for (const screen of SCREENS) {
      await page.setViewportSize(screen);
      assert.equal(await sidewaysOverflow(page), 0, `secret dialog at ${screen.width}`);
    }
    await page.getByLabel('I have stored this key somewhere safe').check();
    await page.getByRole('button', { name: 'Done' }).click();

    const keys = page.getByRole('table', { name: 'API keys' });
    await keys.getByRole('link', { name: LONGEST_NAME }).waitFor();
    for (const screen of SCREENS) {
      await page.setViewportSize(screen);
      assert.equal(await sidewaysOverflow(page), 0, `key list at ${screen.width}`);
    }
    await keys.getByRole('link', { name: LONGEST_NAME }).click();
    await page.getByRole('heading', { name: LONGEST_NAME, level: 1 }).waitFor();
    for (const screen of SCREENS) {
      await page.setViewportSize(screen);
      assert.equal(await sidewaysOverflow(page), 0, `key page at ${screen.width}`);
    }
  });

  it('keeps an e-mail in the audit details whole at 1280 pixels, and the time of a row off its actor at 375', async (t) => {
    const { server, page, tenantId } = await signedInOwner(t);
    const address = 'new.person+tag@example.com';
    assert.equal((await rootCall(server, 'POST', `/v1/tenants/${tenantId}/members`, { email: address, role: 'viewer' })).status, 201);
    await nav(page, 'Audit log');
    const added = page.getByRole('table', { name: 'Audit log' }).getByRole('row').filter({ hasText: 'member.added' }).filter({ hasText: address });
    const details = added.locator('td[data-label="Details"]');
    await details.getByText(address, { exact: false }).waitFor();
    // The lines the address takes on screen: the Details column was once so narrow that it broke letter by letter.
    const linesOfAddress = await details.evaluate((cell, text) => {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent?.indexOf(text) ?? -1;
        if (at === -1) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + text.length);
        return new Set(Array.from(range.getClientRects(), (rect) => Math.round(rect.top))).size;
      }
      return 0;
    }, address);
    assert.equal(linesOfAddress, 1, 'the address in the details is not broken');
    assert.equal(await sidewaysOverflow(page), 0, 'audit log at 1280');

    await page.setViewportSize({ width: 375, height: 800 });
    const signedIn = page.getByRole('table', { name: 'Audit log' }).getByRole('row').filter({ hasText: 'auth.signed_in' }).first();
    const time = await signedIn.locator('time').first().boundingBox();
    const actor = await signedIn.locator('td[data-label="Actor"]').boundingBox();
    assert.ok(time && actor, 'time and actor are on screen');
    const overlaps = time.x < actor.x + actor.width && actor.x < time.x + time.width && time.y < actor.y + actor.height && actor.y < time.y + time.height;
    assert.equal(overlaps, false, `the time ${JSON.stringify(time)} runs into the actor ${JSON.stringify(actor)}`);
    assert.equal(await sidewaysOverflow(page), 0, 'audit log at 375');
  });

  it('keeps every link of the main navigation within a 390-pixel screen', async (t) => {
    // The operator sees the most links (Tenants too).
    const setup = await setUp(t);
    await setup.cli(['tenant', 'create', '--name', 'Acme Logistics']);
    const server = await startServer(t, setup.env);
    const page = await openPage(t, 390);
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, server.url, setup.mailbox, OPERATOR);
    const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
    assert.ok((await links.count()) >= 5);
    for (const link of await links.all()) {
      const box = await link.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `${await link.innerText()} at ${JSON.stringify(box)}`);
    }
  });
});
