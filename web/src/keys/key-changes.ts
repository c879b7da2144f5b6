// What the settings form changed. Its PATCH holds only the fields edited since the form was filled, so a change made
// elsewhere meanwhile (another tab, person or script) is kept, not overwritten with the form's out-of-date copy.
import type { ApiKey, KeySettings } from '../api/types.js';
import { expiresAtFor } from './expiry.js';
import { draftOfKey, type KeyDraft, parseMeta } from './key-draft.js';
import { splitList } from './key-validation.js';

/** The draft fields filled from the key; the others (a scope being typed, the expiry choice) are the user's alone. */
const KEY_FIELDS = ['name', 'scopes', 'rpm', 'burst', 'allowedIps', 'customerIds', 'meta'] as const;

/** Lists that hold the same entries, in any order. */
function sameEntries(a: readonly string[], b: readonly string[]): boolean {
  const sortedB = [...b].sort();
  return a.length === b.length && [...a].sort().every((item, i) => item === sortedB[i]);
}

/** JSON with every object's keys sorted, so that meta retyped in another order or layout compares equal. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function sameField(a: KeyDraft[keyof KeyDraft], b: KeyDraft[keyof KeyDraft]): boolean {
  return Array.isArray(a) && Array.isArray(b) ? sameEntries(a, b) : a === b;
}

/**
 * The PATCH body of a valid draft filled from `before`: only the settings whose value differs from `before`'s once
 * normalised (trimmed name, lists in any order, meta as JSON). A field left as it was filled is never sent, even
 * when its text would normalise differently. An emptied burst is sent as the rate limit, which makes it follow the
 * rate again. Empty when nothing changed.
 *
 * @example
 * changedSettings({ ...draftOfKey(key), name: 'prod-order-bot-2' }, key, Date.now()); // { name: 'prod-order-bot-2' }
 */
export function changedSettings(draft: KeyDraft, before: ApiKey, now: number): KeySettings {
  const filled = draftOfKey(before);
  const edited = (field: (typeof KEY_FIELDS)[number]) => !sameField(draft[field], filled[field]);
  const settings: KeySettings = {};
  const name = draft.name.trim();
  if (edited('name') && name !== before.name) settings.name = name;
  if (edited('scopes')) settings.scopes = draft.scopes;
  const ips = splitList(draft.allowedIps);
  if (edited('allowedIps') && !sameEntries(ips, before.allowed_ips)) settings.allowed_ips = ips;
  const customerIds = splitList(draft.customerIds);
  if (edited('customerIds') && !sameEntries(customerIds, before.customer_ids)) settings.customer_ids = customerIds;
  const meta = parseMeta(draft.meta) ?? {};
  if (edited('meta') && canonicalJson(meta) !== canonicalJson(before.meta)) settings.meta = meta;
  const rpm = Number(draft.rpm);
  const rateLimit: NonNullable<KeySettings['rate_limit']> = {};
  if (edited('rpm') && rpm !== before.rate_limit.requests_per_minute) rateLimit.requests_per_minute = rpm;
  if (edited('burst')) {
    const burst = draft.burst.trim() === '' ? rpm : Number(draft.burst);
    if (burst !== before.rate_limit.burst || rateLimit.requests_per_minute !== undefined) rateLimit.burst = burst;
  }
  if (Object.keys(rateLimit).length > 0) settings.rate_limit = rateLimit;
  const expiresAt = expiresAtFor(draft.expiry, draft.customDate, now);
  if (expiresAt !== undefined) settings.expires_at = expiresAt;
  return settings;
}

/**
 * The draft once the key it was filled from (`from`) has changed into `to`: fields the user has not edited show
 * `to`'s values, edited ones keep what the user typed.
 */
export function rebaseDraft(draft: KeyDraft, from: ApiKey, to: ApiKey): KeyDraft {
  const filled = draftOfKey(from);
  const fresh = draftOfKey(to);
  const next = { ...draft };
  for (const field of KEY_FIELDS) {
    if (sameField(draft[field], filled[field])) Object.assign(next, { [field]: fresh[field] });
  }
  return next;
}
