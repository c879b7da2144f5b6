// Why a text typed into a search field is not searched for: kept apart from the field so that tests can run it.
import { holdsKey, holdsRootToken } from '../../../src/core/key-shape.js';
import { MAX_SEARCH_CHARACTERS } from '../../../src/core/names.js';

/** Why `text` is not searched for, or null. A secret is never put in the address (nor sent in a URL). */
export function searchProblem(text: string): string | null {
  if (holdsKey(text)) return 'That is a key’s secret: search by name or id, never by a secret.';
  if (holdsRootToken(text)) return 'That is a root token: search by name or id, never by a secret.';
  if ([...text.trim()].length > MAX_SEARCH_CHARACTERS) return `At most ${MAX_SEARCH_CHARACTERS} characters.`;
  return null;
}
