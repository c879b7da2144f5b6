// Who signs in to the dashboard as an operator (all tenants).
import type { Config } from '../config.js';
import { normalizeEmail } from '../core/email.js';

/** The operator address of a fresh install (CONTRACT section 1, first run). */
export const FIRST_RUN_OPERATOR = 'admin@localhost';

/** First run: no operator e-mails configured and sign-in codes printed to the log. */
export function isFirstRun(config: Pick<Config, 'adminEmails' | 'smtpUrl'>): boolean {
  return config.adminEmails.length === 0 && config.smtpUrl === undefined;
}

/** LATCHKEY_ADMIN_EMAILS, or `admin@localhost` on a first run. */
export function operatorEmails(config: Pick<Config, 'adminEmails' | 'smtpUrl'>): ReadonlySet<string> {
  if (config.adminEmails.length > 0) return new Set(config.adminEmails.map(normalizeEmail));
  return new Set(isFirstRun(config) ? [FIRST_RUN_OPERATOR] : []);
}
