// The shape of an operator root token made by `root-token create`: a prefix that says what it is, then 43 base62
// characters (256 bits). LATCHKEY_ROOT_TOKEN may be any long string; this is only the shape of generated ones.
import { randomBase62 } from './base62.js';

export const ROOT_TOKEN_PREFIX = 'lkr_';
const ROOT_TOKEN_BODY_LENGTH = 43;

/** A new root token; the caller prints it once and stores only its digest. */
export function generateRootToken(): string {
  return ROOT_TOKEN_PREFIX + randomBase62(ROOT_TOKEN_BODY_LENGTH);
}
