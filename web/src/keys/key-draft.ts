// The key settings form as typed (strings), its problems, and the API body it becomes.
import type { ApiKey, KeySettings, Plan } from '../api/types.js';
import { customDateProblem, type ExpiryChoice, expiresAtFor } from './expiry.js';
import {
  burstProblem,
  customerIdProblem,
  invalidEntries,
  isIpOrCidr,
  isScope,
  listLengthProblem,
  metaSizeProblem,
  nameProblem,
  rpmProblem,
  splitList,
} from './key-validation.js';

export interface KeyDraft {
  name: string;
  scopes: string[];
  /** Typed in "Other scope" and not yet added: blocks saving, so it is never dropped without a word. */
  typedScope: string;
  rpm: string;
  /** Requests that may come at once; empty while it follows the rate limit (the server's default). */
  burst: string;
  allowedIps: string;
  customerIds: string;
  expiry: ExpiryChoice;
  customDate: string;
  meta: string;
}

export type DraftProblems = Partial<Record<keyof KeyDraft, string>>;

export function newKeyDraft(plan: Plan | null): KeyDraft {
  return {
    name: '',
    scopes: [],
    typedScope: '',
    rpm: String(plan?.default_rpm || 100),
    burst: '',
    allowedIps: '',
    customerIds: '',
    expiry: defaultExpiry(plan),
    customDate: '',
    meta: '{}',
  };
}

/** A year, or the longest preset the plan's bound on a key's life allows. */
function defaultExpiry(plan: Plan | null): ExpiryChoice {
  const days = plan?.max_key_lifetime_days ?? null;
  if (days === null || days >= 365) return '1y';
  if (days >= 90) return '90d';
  return days >= 30 ? '30d' : 'custom';
}

export function draftOfKey(key: ApiKey): KeyDraft {
  return {
    name: key.name,
    scopes: [...key.scopes],
    typedScope: '',
    rpm: String(key.rate_limit.requests_per_minute),
    // A burst equal to the rate limit follows it (the server keeps them together); only one set apart is shown.
    burst: key.rate_limit.burst === key.rate_limit.requests_per_minute ? '' : String(key.rate_limit.burst),
    allowedIps: key.allowed_ips.join('\n'),
    customerIds: key.customer_ids.join('\n'),
    expiry: 'keep',
    customDate: '',
    meta: JSON.stringify(key.meta, null, 2),
  };
}

/** The meta object typed, or null when it is not a JSON object. */
export function parseMeta(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text.trim() === '' ? '{}' : text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The sentences that are not null, as one message: a field shows every problem it has at once. */
function allOf(...sentences: Array<string | null>): string | undefined {
  const said = sentences.filter((s): s is string => s !== null);
  return said.length === 0 ? undefined : said.join(' ');
}

export function draftProblems(draft: KeyDraft, plan: Plan | null, now: number): DraftProblems {
  const problems: DraftProblems = {};
  const name = nameProblem(draft.name);
  if (name) problems.name = name;
  const badScopes = invalidEntries(draft.scopes, isScope);
  const scopes = allOf(badScopes.length > 0 ? `Not a scope: ${badScopes.join(', ')}` : null, listLengthProblem(draft.scopes, 'scopes'));
  if (scopes) problems.scopes = scopes;
  const typed = draft.typedScope.trim();
  if (typed !== '') problems.typedScope = isScope(typed) ? 'Add or clear the scope you typed.' : 'Use resource:action in lower case, e.g. sites:read.';
  // A plan without M2M access may report a ceiling of 0; the server then explains the refusal better than a field error.
  const rpm = rpmProblem(draft.rpm, plan?.max_rpm || null);
  if (rpm) problems.rpm = rpm;
  const burst = burstProblem(draft.burst, plan?.max_rpm || null);
  if (burst) problems.burst = burst;
  const ips = splitList(draft.allowedIps);
  const badIps = invalidEntries(ips, isIpOrCidr);
  const allowedIps = allOf(badIps.length > 0 ? `Not an IP address or CIDR: ${badIps.join(', ')}.` : null, listLengthProblem(ips, 'IP addresses or CIDRs'));
  if (allowedIps) problems.allowedIps = allowedIps;
  const customerIdList = splitList(draft.customerIds);
  const customerIds = allOf(listLengthProblem(customerIdList, 'customer IDs'), customerIdProblem(customerIdList));
  if (customerIds) problems.customerIds = customerIds;
  if (draft.expiry === 'custom') {
    const date = customDateProblem(draft.customDate, now);
    if (date) problems.customDate = date;
  }
  if (draft.expiry === 'never' && plan !== null && !plan.never_expiring_keys) problems.expiry = `The ${plan.name} plan does not allow keys that never expire.`;
  const lifetimeProblem = beyondMaxLifetime(draft, plan, now);
  if (lifetimeProblem) problems[draft.expiry === 'custom' ? 'customDate' : 'expiry'] = lifetimeProblem;
  const meta = parseMeta(draft.meta);
  if (meta === null) problems.meta = 'Meta must be a JSON object, e.g. {"team": "billing"}.';
  else {
    const size = metaSizeProblem(meta);
    if (size) problems.meta = size;
  }
  return problems;
}

/** The body that creates a key from a valid draft: every setting, the burst only when one was typed. */
export function settingsOfDraft(draft: KeyDraft, now: number): KeySettings {
  const rpm = Number(draft.rpm);
  const burst = draft.burst.trim();
  const settings: KeySettings = {
    name: draft.name.trim(),
    scopes: draft.scopes,
    allowed_ips: splitList(draft.allowedIps),
    customer_ids: splitList(draft.customerIds),
    meta: parseMeta(draft.meta) ?? {},
    rate_limit: burst === '' ? { requests_per_minute: rpm } : { requests_per_minute: rpm, burst: Number(burst) },
  };
  const expiresAt = expiresAtFor(draft.expiry, draft.customDate, now);
  if (expiresAt !== undefined) settings.expires_at = expiresAt;
  return settings;
}

/**
 * Problems to show now: all after a submit attempt, before that only those of fields already filled in (and
 * a scope being typed only when it is malformed: the user may still be about to add it).
 */
export function visibleProblems(problems: DraftProblems, draft: KeyDraft, attempted: boolean): DraftProblems {
  if (attempted) return problems;
  const shown = { ...problems };
  if (draft.name === '') delete shown.name;
  if (draft.customDate === '') delete shown.customDate;
  if (isScope(draft.typedScope.trim())) delete shown.typedScope;
  return shown;
}

export function hasProblems(problems: DraftProblems): boolean {
  return Object.keys(problems).length > 0;
}

/** A chosen expiry further ahead than the plan lets a key live, as the server would refuse it; else null. */
function beyondMaxLifetime(draft: KeyDraft, plan: Plan | null, now: number): string | null {
  const days = plan?.max_key_lifetime_days ?? null;
  if (plan === null || days === null || draft.expiry === 'never' || draft.expiry === 'keep') return null;
  if (draft.expiry === 'custom' && customDateProblem(draft.customDate, now) !== null) return null;
  const expiresAt = expiresAtFor(draft.expiry, draft.customDate, now);
  if (typeof expiresAt !== 'string' || Date.parse(expiresAt) <= now + days * 24 * 3600 * 1000) return null;
  return `The ${plan.name} plan allows keys to live at most ${days} days.`;
}
