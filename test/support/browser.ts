// Debian's Chromium driven by playwright-core for the dashboard tests (never a downloaded browser).
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { buildOnce, newestMtime, ROOT } from './processes.js';
import type { Cleanup } from './test-app.js';

export const CHROMIUM = process.env.LATCHKEY_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** No sandbox (containers lack the namespaces), no GPU, and no calls home for updates or components during a test. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/** Why browser suites cannot run here, or `undefined`. Under CI=true a missing Chromium is an error. */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  if (process.env.CI === 'true') throw new Error(`Chromium not found at ${CHROMIUM}, and CI=true requires the browser tests to run (apt-get install chromium)`);
  return `Chromium not found at ${CHROMIUM}: browser tests skipped (apt-get install chromium)`;
}

export async function launchBrowser(t: Cleanup): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  t.after(() => browser.close());
  return browser;
}

function dashboardIsFresh(): boolean {
  const index = join(ROOT, 'dist', 'web', 'index.html');
  if (!existsSync(index)) return false;
  const sources = Math.max(newestMtime(join(ROOT, 'web', 'src')), newestMtime(join(ROOT, 'web', 'index.html')), newestMtime(join(ROOT, 'web', 'vite.config.ts')));
  return statSync(index).mtimeMs >= sources;
}

/**
 * Builds the dashboard into dist/web (`npm run build:web`) when it is missing or older than web/:
 * the browser tests drive what the server serves, and an edit without a rebuild would test the old
 * dashboard.
 */
export function ensureDashboardBuilt(): void {
  buildOnce('.web-build-lock', dashboardIsFresh, () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-web.mjs')], { cwd: ROOT, stdio: 'pipe' });
  });
}
