// What a person does in the dashboard again and again, for the browser tests: sign in, answer a step-up, store a secret.
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import type { Mailbox } from './mailbox.js';

/** Opens the dashboard and signs in with the code mailed to `email`. */
export async function signIn(page: Page, url: string, mailbox: Mailbox, email: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('E-mail address').fill(email);
  const before = mailbox.mails.length;
  await page.getByRole('button', { name: 'Send sign-in code' }).click();
  await page.getByLabel('Sign-in code').fill(await mailbox.code(email, before));
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** Answers a step-up request inline (it appears inside the dialog that needed it). */
export async function stepUp(page: Page, mailbox: Mailbox, email: string): Promise<void> {
  const before = mailbox.mails.length;
  await page.getByRole('button', { name: 'Send verification code' }).click();
  await page.getByLabel('Verification code').fill(await mailbox.code(email, before));
  await page.getByRole('button', { name: 'Verify and continue' }).click();
}

/** Creates a key named `name` with the defaults from API Access, stepping up by e-mail; returns the one-time reveal. */
export async function createKeyStepped(page: Page, mailbox: Mailbox, email: string, name: string): Promise<Locator> {
  await page.getByRole('button', { name: 'Create key' }).click();
  const create = page.getByRole('dialog', { name: 'Create API key' });
  await create.getByLabel('Name', { exact: true }).fill(name);
  await create.getByRole('button', { name: 'Generate key' }).click();
  await stepUp(page, mailbox, email);
  return page.getByRole('dialog', { name: 'Key created' });
}

/** Reads the secret from the one-time reveal, checks that it cannot close before "stored" is ticked, and closes it. */
export async function takeSecret(page: Page): Promise<string> {
  const secret = await page.getByTestId('secret-value').inputValue();
  assert.match(secret, /^lk_(live|test|dev)_[0-9A-Za-z]{38}$/);
  const done = page.getByRole('button', { name: 'Done' });
  assert.equal(await done.isDisabled(), true, 'the dialog cannot close before the secret is stored');
  await page.getByLabel('I have stored this key somewhere safe').check();
  await done.click();
  return secret;
}

/** Fails when a visible form control on the page has no accessible name (a label, aria-label or text). */
export async function assertControlsLabelled(page: Page, where: string): Promise<void> {
  const unnamed = await page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('input, select, textarea, button'))
      .filter((el) => el.offsetParent !== null && !el.closest('[inert]'))
      .filter((el) => {
        const labels = (el as HTMLInputElement).labels;
        const text = el.tagName === 'BUTTON' ? el.textContent?.trim() : '';
        return !(labels && labels.length > 0) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby') && !text;
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
  assert.deepEqual(unnamed, [], `controls without a label on ${where}`);
}

/** Deactivates the key on its page: "Deactivate key", then "Deactivate now" in the confirmation. */
export async function deactivateKey(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Deactivate key' }).click();
  await page.getByRole('dialog', { name: 'Deactivate key' }).getByRole('button', { name: 'Deactivate now' }).click();
}
