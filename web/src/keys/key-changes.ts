// What the settings form changed. Its PATCH holds only the fields edited since the form was filled, and is made only on
// the key's version the form was filled from (If-Match), so a change made elsewhere meanwhile (another tab, person or
// script) is kept, not overwritten with the form's out-of-date copy. When such a change refuses a save, the form
// follows it with the user's edits kept, and names the fields both changed.
import type { ApiKey, KeySettings } from '../api/types.js';
import { expiresAtFor } from './expiry.js';
import { draftOfKey, type KeyDraft, parseMeta } from './key-draft.js';
import { splitList } from './key-validation.js';

/** The draft fields filled from the key; the others (a scope being typed, the expiry choice) are the user's alone. */
const KEY_FIELDS = ['name', 'scopes', 'rpm', 'burst', 'allowedIps', 'customerIds', 'meta'] as const;
export type KeyField = (typeof KEY_FIELDS)[number];

/** The fields as the settings form labels them, for messages that name them. */
export const KEY_FIELD_LABELS: Record<KeyField, string> = {
  name: 'Name',
  scopes: 'Scopes',
  rpm: 'Rate limit',
  burst: 'Burst',
  allowedIps: 'Allowed IPs and CIDRs',
  customerIds: 'Customer IDs',
  meta: 'Meta',
};

/** The fields that hold lists: two changes to one of them can be combined entry by entry. */
const LIST_FIELDS: ReadonlySet<KeyField> = new Set(['scopes', 'allowedIps', 'customerIds']);

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

/** A number as typed, or the text itself when it is none. */
function typedNumber(text: string): string {
  const trimmed = text.trim();
  return trimmed === '' || !Number.isFinite(Number(trimmed)) ? trimmed : String(Number(trimmed));
}

/** A field of a draft as the setting it stands for, so that one setting typed two ways compares equal. */
function settingOf(draft: KeyDraft, field: KeyField): string {
  switch (field) {
    case 'name':
      return draft.name.trim();
    case 'scopes':
      return JSON.stringify([...draft.scopes].sort());
    case 'rpm':
      return typedNumber(draft.rpm);
    case 'burst':
      // Empty: the burst follows the rate limit, whatever that is.
      return typedNumber(draft.burst);
    case 'allowedIps':
      return JSON.stringify(splitList(draft.allowedIps).sort());
    case 'customerIds':
      return JSON.stringify(splitList(draft.customerIds).sort());
    case 'meta': {
      const meta = parseMeta(draft.meta);
      return meta === null ? draft.meta : canonicalJson(meta);
    }
  }
}

/** The list as changed on both sides: `theirs`, less the entries `mine` removed from `base`, plus those it added. */
function mergedEntries(mine: readonly string[], base: readonly string[], theirs: readonly string[]): string[] {
  const removed = new Set(base.filter((entry) => !mine.includes(entry)));
  const merged = theirs.filter((entry) => !removed.has(entry));
  for (const entry of mine) if (!base.includes(entry) && !merged.includes(entry)) merged.push(entry);
  return merged;
}

/** A list field of `draft` with the change from `filled` to `fresh` made to it as well (see `rebaseDraft`). */
function mergedList(draft: KeyDraft, filled: KeyDraft, fresh: KeyDraft, field: KeyField): Partial<KeyDraft> {
  if (field === 'scopes') return { scopes: mergedEntries(draft.scopes, filled.scopes, fresh.scopes) };
  if (field === 'allowedIps') return { allowedIps: mergedEntries(splitList(draft.allowedIps), splitList(filled.allowedIps), splitList(fresh.allowedIps)).join('\n') };
  if (field === 'customerIds') return { customerIds: mergedEntries(splitList(draft.customerIds), splitList(filled.customerIds), splitList(fresh.customerIds)).join('\n') };
  return {};
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
 * `to`'s values, edited ones keep what the user typed. A list edited on both sides holds `to`'s entries with the
 * user's additions and removals, so that neither change is lost.
 *
 * @example
 * // Allowed IPs: the user added 192.0.2.0/24 to 10.0.0.0/8; meanwhile someone added 198.51.100.7.
 * rebaseDraft(draft, from, to).allowedIps; // '10.0.0.0/8\n198.51.100.7\n192.0.2.0/24'
 */
export function rebaseDraft(draft: KeyDraft, from: ApiKey, to: ApiKey): KeyDraft {
  const filled = draftOfKey(from);
  const fresh = draftOfKey(to);
  const next = { ...draft };
  for (const field of KEY_FIELDS) {
    if (sameField(draft[field], filled[field])) Object.assign(next, { [field]: fresh[field] });
    else if (LIST_FIELDS.has(field) && settingOf(fresh, field) !== settingOf(filled, field)) Object.assign(next, mergedList(draft, filled, fresh, field));
  }
  return next;
}

/**
 * The fields the user edited in `draft` (filled from `from`) that were also changed elsewhere, `from` having become
 * `to`: each compared as the setting it stands for, so a list retyped in another order is no edit.
 *
 * @example
 * changedOnBothSides({ ...draftOfKey(from), allowedIps: '10.0.0.0/8\n192.0.2.0/24' }, from, { ...from, allowed_ips: [] }); // ['allowedIps']
 */
export function changedOnBothSides(draft: KeyDraft, from: ApiKey, to: ApiKey): KeyField[] {
  const filled = draftOfKey(from);
  const fresh = draftOfKey(to);
  return KEY_FIELDS.filter((field) => settingOf(draft, field) !== settingOf(filled, field) && settingOf(fresh, field) !== settingOf(filled, field));
}

/**
 * What the settings form says when a save was refused because the key had changed since the form was filled, and
 * the form now shows it with the user's edits: one paragraph, and one naming the fields both changed, if any.
 *
 * @example
 * keyChangedMeanwhileNotice(['allowedIps']);
 * // ['Someone else changed this key …', 'Both of you changed: Allowed IPs and CIDRs (their entries with your additions and removals).']
 */
export function keyChangedMeanwhileNotice(bothChanged: readonly KeyField[]): string[] {
  const said = [
    'Someone else changed this key while you were editing, so nothing was saved. The form now shows their changes; your edits are kept. Check them and save again.',
  ];
  if (bothChanged.length > 0) {
    const named = bothChanged.map((field) =>
      `${KEY_FIELD_LABELS[field]} (${LIST_FIELDS.has(field) ? 'their entries with your additions and removals' : 'your value, which replaces theirs when you save'})`,
    );
    said.push(`Both of you changed: ${named.join(', ')}.`);
  }
  return said;
}
