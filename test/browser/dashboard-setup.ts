// What each browser suite starts from: a mailbox, a database and CLI for it, a page in Chromium, and operator calls.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { runCli, type ServerProcess, startServer, tempDir } from '../support/processes.js';
import type { Cleanup } from '../support/test-app.js';
import { signIn } from './dashboard-steps.js';
import { type Mailbox, startMailbox } from './mailbox.js';

export const ROOT_TOKEN = 'browser-suite-root-token-0123456789abcdef';
export const OPERATOR = 'ops@example.com';

export interface Setup {
  env: Record<string, string>;
  mailbox: Mailbox;
  /** Runs the CLI on the test's database and returns its `--json` answer. */
  cli<T>(args: string[]): Promise<T>;
}

/** A mailbox for the codes and the environment of a server on a fresh SQLite file, with an operator and the root token. */
export async function setUp(t: Cleanup, extraEnv: Record<string, string> = {}): Promise<Setup> {
  const mailbox = await startMailbox(t);
  const env = {
    LATCHKEY_DATABASE_URL: `sqlite:${join(tempDir(t), 'latchkey.db')}`,
    LATCHKEY_SMTP_URL: mailbox.url,
    LATCHKEY_ADMIN_EMAILS: OPERATOR,
    LATCHKEY_ROOT_TOKEN: ROOT_TOKEN,
    ...extraEnv,
  };
  async function cli<T>(args: string[]): Promise<T> {
    const result = await runCli([...args, '--json'], env);
    assert.equal(result.code, 0, `latchkey ${args.join(' ')}: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  }
  return { env, mailbox, cli };
}

/** A new page in a browser that closes when the test ends; `timezoneId` sets the browser's zone (its own by default). */
export async function openPage(t: Cleanup, width = 1280, timezoneId?: string): Promise<Page> {
  const browser = await launchBrowser(t);
  return browser.newPage({ viewport: { width, height: 860 }, ...(timezoneId ? { timezoneId } : {}) });
}

/** A management call with the operator token, as a script would make it; `body` is undefined for an empty answer (204). */
export async function rootCall(server: ServerProcess, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ROOT_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** Follows a link of the main navigation. */
export async function nav(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
}

/** The owner the suites sign in as. */
export const OWNER = 'olivia@acme.example';

export interface SignedIn extends Setup {
  server: ServerProcess;
  page: Page;
  tenantId: string;
}

export interface SignedInOptions {
  plan?: string;
  /** The browser's time zone. */
  timezoneId?: string;
  /** Runs before the server starts, with the new tenant. */
  before?: (setup: Setup, tenantId: string) => Promise<void>;
  /** Runs once the page exists, before signing in (e.g. to hold a request). */
  onPage?: (page: Page, tenantId: string) => Promise<void>;
}

/** A tenant "Acme Logistics" (pro unless said) with Olivia as its owner, a server, and Olivia signed in (no step-up yet). */
export async function signedInOwner(t: Cleanup, options: SignedInOptions = {}): Promise<SignedIn> {
  const setup = await setUp(t);
  const tenant = await setup.cli<{ id: string }>(['tenant', 'create', '--name', 'Acme Logistics', '--plan', options.plan ?? 'pro']);
  await setup.cli(['member', 'add', '--tenant', tenant.id, '--email', OWNER, '--role', 'owner']);
  await options.before?.(setup, tenant.id);
  const server = await startServer(t, setup.env);
  const page = await openPage(t, 1280, options.timezoneId);
  await options.onPage?.(page, tenant.id);
  await signIn(page, server.url, setup.mailbox, OWNER);
  return { ...setup, server, page, tenantId: tenant.id };
}
