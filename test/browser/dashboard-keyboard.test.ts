// What the keyboard does in the dashboard beyond dialogs: browsing a select does not move the user elsewhere, and
// turning a page leaves the focus at the top of the new page.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { browserSkipReason, ensureDashboardBuilt } from '../support/browser.js';
import { ensureBuilt } from '../support/processes.js';
import { nav, OWNER, rootCall, signedInOwner } from './dashboard-setup.js';

describe("the dashboard's keyboard use, in Chromium", { skip: browserSkipReason() }, () => {
  before(() => {
    ensureBuilt();
    ensureDashboardBuilt();
  });

  it('browses the tenant switcher with the arrow keys without switching, and switches on Enter or a choice', async (t) => {
    let betaId = '';
    const { page, tenantId } = await signedInOwner(t, { before: async ({ cli }) => {
      betaId = (await cli<{ id: string }>(['tenant', 'create', '--name', 'Beta Corp'])).id;
      await cli(['member', 'add', '--tenant', betaId, '--email', OWNER, '--role', 'owner']);
    } });
    const switcher = page.getByLabel('Tenant', { exact: true });
    const tenantInAddress = () => new URL(page.url()).searchParams.get('tenant');
    await page.getByText('Keys that let machines call the API of Acme Logistics.').waitFor();
    const start = (await switcher.inputValue()) === tenantId ? 'Acme Logistics' : 'Beta Corp';
    const other = start === 'Acme Logistics' ? betaId : tenantId;

    await switcher.focus();
    await page.keyboard.press(other === betaId ? 'ArrowDown' : 'ArrowUp');
    await page.keyboard.press(other === betaId ? 'ArrowUp' : 'ArrowDown');
    await page.keyboard.press(other === betaId ? 'ArrowDown' : 'ArrowUp');
    await page.getByRole('button', { name: 'Switch', exact: true }).waitFor();
    assert.equal(await switcher.inputValue(), other, 'the option is browsed to');
    assert.equal(tenantInAddress(), tenantId, 'but the tenant does not change');
    assert.match(await page.getByRole('main').innerText(), /Acme Logistics/);

    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => new URL(location.href).searchParams.get('tenant') === id, other);
    assert.equal(await page.getByRole('button', { name: 'Switch', exact: true }).count(), 0);

    // A choice as the mouse makes it switches in one step.
    await switcher.selectOption({ label: 'Acme Logistics' });
    await page.waitForFunction((id) => new URL(location.href).searchParams.get('tenant') === id, tenantId);
  });

  it('puts the focus on the list, scrolled into view, after "Next page"', async (t) => {
    let keyId = '';
    const { server, page, tenantId } = await signedInOwner(t, { before: async ({ cli }, tenant) => {
      keyId = (await cli<{ key: { id: string } }>(['key', 'create', '--tenant', tenant, '--name', 'prod-order-bot', '--env', 'production'])).key.id;
    } });
    // 51 audit entries or more: two pages of 50.
    for (let i = 0; i < 51; i++) assert.equal((await rootCall(server, 'PATCH', `/v1/tenants/${tenantId}/keys/${keyId}`, { name: `prod-order-bot-${i}` })).status, 200);
    await nav(page, 'Audit log');
    const audit = page.getByRole('table', { name: 'Audit log' });
    await audit.waitFor();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2').waitFor();
    await page.waitForFunction(() => document.activeElement?.tagName === 'TABLE');
    assert.equal(await audit.evaluate((el) => el === document.activeElement), true, 'the audit table has the focus');
    const [top, height] = await audit.evaluate((el) => [el.getBoundingClientRect().top, window.innerHeight]);
    assert.ok(top >= 0 && top < height, `the table's top is in view (${top} px of ${height})`);
  });
});
