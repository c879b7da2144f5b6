// The shape of an API key (CONTRACT.md section 2: <prefix>_<envtag>_<32 random + 6 checksum base62>), with no
// Node.js module, so that the dashboard tells a pasted secret by the same pattern as the server.

export const KEY_PATTERN = /^([a-z][a-z0-9]{1,11})_(live|test|dev)_([0-9A-Za-z]{38})$/;
const KEY_INSIDE = /[a-z][a-z0-9]{1,11}_(?:live|test|dev)_[0-9A-Za-z]{38}/;

/** True when `value` has the shape of a key (checksum not checked): used to refuse keys in URLs. */
export function looksLikeKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

/** True when something shaped like a key appears anywhere in `text` (a header value in any scheme, say). */
export function holdsKey(text: string): boolean {
  return KEY_INSIDE.test(text);
}
