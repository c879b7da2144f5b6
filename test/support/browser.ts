// Debian's Chromium driven by playwright-core for the dashboard tests (never a downloaded browser).
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import type { Cleanup } from './test-app.js';

export const CHROMIUM = process.env.LATCHKEY_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** Why browser suites cannot run here, or `undefined`. Under CI=true a missing Chromium is an error. */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  if (process.env.CI === 'true') throw new Error(`Chromium not found at ${CHROMIUM}, and CI=true requires the browser tests to run (apt-get install chromium)`);
  return `Chromium not found at ${CHROMIUM}: browser tests skipped (apt-get install chromium)`;
}

export async function launchBrowser(t: Cleanup): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  t.after(() => browser.close());
  return browser;
}
