// A server's `400 invalid_request` on a key's settings, placed on the form's fields as the form's own checks are.
import { ApiError } from '../api/api-error.js';
import type { DraftProblems, KeyDraft } from './key-draft.js';

/** The input that shows each settings field of the API body, by the body's name for it. */
const DRAFT_FIELDS = new Map<string, keyof KeyDraft>([
  ['name', 'name'],
  ['scopes', 'scopes'],
  // The whole rate limit is refused when the plan has no M2M access: said at the rate.
  ['rate_limit', 'rpm'],
  ['rate_limit.requests_per_minute', 'rpm'],
  ['rate_limit.burst', 'burst'],
  ['allowed_ips', 'allowedIps'],
  ['customer_ids', 'customerIds'],
  ['expires_at', 'expiry'],
  ['meta', 'meta'],
]);

/**
 * The draft field whose input shows a field the server names, or null when the form has none for it. The longest
 * known prefix wins, so an item of a list (`customer_ids.0`) lands on the list; a custom expiry on its date.
 *
 * @example
 * draftFieldOf('rate_limit.burst', draft); // 'burst'
 */
export function draftFieldOf(field: string, draft: KeyDraft): keyof KeyDraft | null {
  const parts = field.split('.');
  for (let length = parts.length; length > 0; length--) {
    const found = DRAFT_FIELDS.get(parts.slice(0, length).join('.'));
    if (found === 'expiry' && draft.expiry === 'custom') return 'customDate';
    if (found !== undefined) return found;
  }
  return null;
}

/**
 * The schema validator's phrasing of a size limit ("must NOT have more than 100 items") in plain words ("must have at
 * most 100 entries"); other messages as they are.
 */
function plainLimit(message: string): string {
  return message.replace(/must NOT have (more|fewer) than (\d+) (items|characters)/, (_, side: string, count: string, unit: string) => {
    const units = unit === 'items' ? ['entry', 'entries'] : ['character', 'characters'];
    return `must have ${side === 'more' ? 'at most' : 'at least'} ${count} ${count === '1' ? units[0] : units[1]}`;
  });
}

/** A server message (`must …`) as a sentence like the form's own, naming the entry of a list it is about. */
export function problemText(field: string, message: string): string {
  const index = /\.(\d+)$/.exec(field)?.[1];
  const plain = plainLimit(message);
  const text = index === undefined ? plain : `Entry ${Number(index) + 1} ${plain}`;
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;
}

export interface PlacedError {
  /** Problems for the fields' inputs, shown and focused as the form's own checks are. */
  problems: DraftProblems;
  /** What the form still shows as its error: the whole error unless each field it names has an input here, else null. */
  formError: unknown;
}

/** Splits a failed save into problems on the form's fields and the form's error. */
export function placeServerProblems(error: unknown, draft: KeyDraft): PlacedError {
  if (!(error instanceof ApiError) || error.code !== 'invalid_request' || error.fields.length === 0) return { problems: {}, formError: error };
  const problems: DraftProblems = {};
  let unplaced = false;
  for (const { field, message } of error.fields) {
    const input = draftFieldOf(field, draft);
    if (input === null) {
      unplaced = true;
      continue;
    }
    const text = problemText(field, message);
    const before = problems[input];
    problems[input] = before === undefined ? text : `${before} ${text}`;
  }
  return { problems, formError: unplaced ? error : null };
}

/** `problems` without those of the fields in `patch`: once a field is edited, the server's word on it no longer applies. */
export function withoutEdited(problems: DraftProblems, patch: Partial<KeyDraft>): DraftProblems {
  const kept = { ...problems };
  for (const field of Object.keys(patch) as Array<keyof KeyDraft>) delete kept[field];
  return kept;
}
