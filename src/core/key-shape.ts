// The shape of an API key (CONTRACT.md section 2: <prefix>_<envtag>_<32 random + 6 checksum base62>) and of a
// generated root token, with no Node.js module, so that the dashboard tells a pasted secret by the same pattern as the server.

export const KEY_PATTERN = /^([a-z][a-z0-9]{1,11})_(live|test|dev)_([0-9A-Za-z]{38})$/;
const KEY_INSIDE = /[a-z][a-z0-9]{1,11}_(?:live|test|dev)_[0-9A-Za-z]{38}/;

/** True when `value` has the shape of a key (checksum not checked): used to refuse keys in URLs. */
export function looksLikeKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

/** A root token made by `root-token create` (root-token-format.ts: `lkr_` and 43 base62 characters). */
const ROOT_TOKEN_INSIDE = /lkr_[0-9A-Za-z]{43}/;

/** True when something shaped like a generated root token appears anywhere in `text`. */
export function holdsRootToken(text: string): boolean {
  return ROOT_TOKEN_INSIDE.test(text);
}

/** True when something shaped like a key appears anywhere in `text` (a header value in any scheme, say). */
export function holdsKey(text: string): boolean {
  return KEY_INSIDE.test(text);
}
