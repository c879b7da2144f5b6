// Who signs in to the dashboard as an operator (all tenants).
import type { Config } from '../config.js';

/** LATCHKEY_ADMIN_EMAILS, or `admin@localhost` on a first run (no admin list and mail printed to the log). */
export function operatorEmails(config: Pick<Config, 'adminEmails' | 'smtpUrl'>): ReadonlySet<string> {
  if (config.adminEmails.length > 0) return new Set(config.adminEmails.map((e) => e.trim().toLowerCase()));
  return new Set(config.smtpUrl ? [] : ['admin@localhost']);
}
