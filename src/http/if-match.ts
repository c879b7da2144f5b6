// The If-Match request header (RFC 9110 section 13.1.1), read into the entity tags it names.
import { invalidRequest } from '../core/errors.js';

/** Any current version (`*`), or the versions the client read. */
export type IfMatch = '*' | readonly string[];

// One entity tag: optionally weak (`W/`), then a quoted run of the characters RFC 9110 allows (no quote, no space).
const ENTITY_TAG = /^(W\/)?"[\x21\x23-\x7e\x80-\xff]*"$/;

/**
 * The tags of an If-Match header; `undefined` when the header is absent. A weak tag (`W/"…"`) is kept but never
 * matches, since If-Match compares strongly and this API sends strong tags only. A header that is not a list of
 * tags is `400 invalid_request`: treating it as absent would make the change unconditional, the opposite of what
 * the client asked for.
 */
export function parseIfMatch(header: string | undefined): IfMatch | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '*') return '*';
  const tags = value.split(',').map((part) => part.trim()).filter((part) => part !== '');
  if (tags.length === 0 || !tags.every((tag) => ENTITY_TAG.test(tag))) {
    throw invalidRequest([{ field: 'if-match', message: 'must be "*" or a list of entity tags such as "5Jz0vQkq3i1tM2yYc8b7hA", as the ETag header gave them' }]);
  }
  return tags.filter((tag) => !tag.startsWith('W/'));
}

/** The versions a change is conditional on: none for `*`, which any existing resource meets. */
export function expectedVersions(ifMatch: IfMatch | undefined): readonly string[] | undefined {
  return ifMatch === '*' ? undefined : ifMatch;
}
