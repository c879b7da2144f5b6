// Redaction of secrets in text that is stored, logged or answered: API keys and operator root tokens, wherever
// they appear (a path, an id pasted in the wrong place, a JSON property name) and however a client escaped them.
import { ROOT_TOKEN_PREFIX } from './root-token-format.js';

/**
 * A key's tag and body, whatever its prefix: `LK_live_…` or `x_live_…` is still the secret of `lk_live_…`. The tag in
 * any case, so that redaction errs on the side of hiding a key a client mangled.
 */
const KEY_BODY_ANYWHERE = /(live|test|dev)_[0-9A-Za-z]{38}/gi;
/** Every key has one of these; testing for it first costs 40 ns a path where the replace alone cost 400-600. */
const ENV_TAG = /(?:live|test|dev)_/i;
/** A root token made by `root-token create`: its prefix and 43 base62 characters. */
const ROOT_TOKEN_ANYWHERE = new RegExp(`${ROOT_TOKEN_PREFIX}[0-9A-Za-z]{43}`, 'g');
/** A run of text between the delimiters of a URL (or blanks): where one escaped secret would sit whole. */
const ESCAPED_RUN = /[^/?#&=;,\s]*%[^/?#&=;,\s]*/g;
const PERCENT_ESCAPE = /%([0-9A-Fa-f]{2})/g;
/** Escapes decoded at most this many times over (`%255F` is `_` escaped twice). */
const MAX_UNESCAPES = 3;

/**
 * `text` with the secret part of anything shaped like a key or a root token replaced, for what is stored, logged or
 * answered about a request: `/v1/lk_live_<38 chars>` becomes `/v1/lk_live_[redacted]`, `lkr_<43 chars>`
 * `lkr_[redacted]`. A secret behind percent-escapes (`lk%5Flive%5F…`, one decode away) is found too: that part of
 * the text is kept decoded and redacted.
 */
export function redactSecretsIn(text: string): string {
  const plain = text.includes('%') ? text.replace(ESCAPED_RUN, (run) => {
    const decoded = unescapeAscii(run);
    return holdsSecret(decoded) ? decoded : run;
  }) : text;
  let redacted = ENV_TAG.test(plain) ? plain.replace(KEY_BODY_ANYWHERE, '$1_[redacted]') : plain;
  if (redacted.includes(ROOT_TOKEN_PREFIX)) redacted = redacted.replace(ROOT_TOKEN_ANYWHERE, `${ROOT_TOKEN_PREFIX}[redacted]`);
  return redacted;
}

/** What a field that would hold a secret is told: settings and names are shown to every member and kept in the audit log. */
export const SECRET_IN_FIELD = 'must not hold an API key or a root token (they are stored only as digests, and this field is shown to every member); remove it, and revoke the key if it is real';

/** Whether `text` holds anything `redactSecretsIn` would redact: a key or root token, however escaped. */
export function containsSecret(text: string): boolean {
  return redactSecretsIn(text) !== text;
}

function holdsSecret(text: string): boolean {
  return (ENV_TAG.test(text) && text.search(KEY_BODY_ANYWHERE) !== -1) || text.search(ROOT_TOKEN_ANYWHERE) !== -1;
}

/** `text` with its percent-escapes of ASCII characters decoded, repeatedly; never throws on a bad escape. */
function unescapeAscii(text: string): string {
  let current = text;
  for (let i = 0; i < MAX_UNESCAPES && current.includes('%'); i++) {
    const next = current.replace(PERCENT_ESCAPE, (escape, hex: string) => {
      const code = Number.parseInt(hex, 16);
      return code < 0x80 ? String.fromCharCode(code) : escape;
    });
    if (next === current) break;
    current = next;
  }
  return current;
}
