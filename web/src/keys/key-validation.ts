// Checks of key settings as they are typed: scopes, IP addresses/CIDRs, names, rate limits (the server checks again).

export const SCOPE_PATTERN = /^[a-z][a-z0-9_-]*:[a-z][a-z0-9_-]*$/;

export function isScope(text: string): boolean {
  return SCOPE_PATTERN.test(text);
}

function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

function isIpv6(text: string): boolean {
  // No zone (`fe80::1%eth0`): the server refuses it, since an allow list cannot tell interfaces apart.
  let rest = text;
  let groupsNeeded = 8;
  const lastColon = rest.lastIndexOf(':');
  // An IPv4 tail (`::ffff:192.0.2.1`) stands for the last two groups.
  if (lastColon !== -1 && rest.slice(lastColon + 1).includes('.')) {
    if (!isIpv4(rest.slice(lastColon + 1))) return false;
    rest = rest.slice(0, lastColon + 1) + '0';
    groupsNeeded = 7;
  }
  const halves = rest.split('::');
  if (halves.length > 2) return false;
  const groups = halves.map((h) => (h === '' ? [] : h.split(':')));
  if (!groups.every((g) => g.every((part) => /^[0-9a-f]{1,4}$/i.test(part)))) return false;
  const count = groups.reduce((n, g) => n + g.length, 0);
  return halves.length === 2 ? count < groupsNeeded : count === groupsNeeded;
}

/** An IPv4 or IPv6 address, optionally with a `/prefix` that fits its family. */
export function isIpOrCidr(text: string): boolean {
  const [address = '', prefix, extra] = text.split('/');
  if (extra !== undefined) return false;
  const v4 = isIpv4(address);
  if (!v4 && !isIpv6(address)) return false;
  if (prefix === undefined) return true;
  return /^(0|[1-9]\d{0,2})$/.test(prefix) && Number(prefix) <= (v4 ? 32 : 128);
}

/** The server's limits on a key's lists and meta (its schemas and src/core/key-settings.ts), checked here as typed. */
export const MAX_LIST_ENTRIES = 100;
export const MAX_CUSTOMER_ID_LENGTH = 100;
export const MAX_META_BYTES = 4096;

/** A list with more entries than the server takes, said with the count so the user knows how many to drop. */
export function listLengthProblem(items: readonly string[], what: string): string | null {
  return items.length > MAX_LIST_ENTRIES ? `Use at most ${MAX_LIST_ENTRIES} ${what}; there are ${items.length}.` : null;
}

/** Customer IDs longer than the server takes, named by their place in the list. */
export function customerIdProblem(ids: readonly string[]): string | null {
  const long = ids.flatMap((id, index) => (id.length > MAX_CUSTOMER_ID_LENGTH ? [`entry ${index + 1} has ${id.length}`] : []));
  return long.length === 0 ? null : `A customer ID may have at most ${MAX_CUSTOMER_ID_LENGTH} characters: ${long.join(', ')}.`;
}

/** Meta larger than the server takes, counted as it counts: the bytes of its JSON in UTF-8. */
export function metaSizeProblem(meta: Record<string, unknown>): string | null {
  const bytes = new TextEncoder().encode(JSON.stringify(meta)).length;
  return bytes > MAX_META_BYTES ? `Meta may be at most ${MAX_META_BYTES} bytes as JSON; this is ${bytes}.` : null;
}

/** Splits a typed list on commas, spaces and new lines, dropping blanks. */
export function splitList(text: string): string[] {
  return text.split(/[\s,]+/).filter((item) => item !== '');
}

/** The entries of a list that fail a check, to name them in the message. */
export function invalidEntries(items: readonly string[], check: (item: string) => boolean): string[] {
  return items.filter((item) => !check(item));
}

export function nameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'Give the key a name.';
  // Counted as the server counts: code points, so an emoji is one character, not two.
  if ([...trimmed].length > 100) return 'Use at most 100 characters.';
  return null;
}

/** A problem with a requests-per-minute value under a plan's ceiling, or null when it is fine. */
export function rpmProblem(value: string, maxRpm: number | null): string | null {
  if (!/^\d+$/.test(value.trim())) return 'Enter a whole number of requests per minute.';
  const rpm = Number(value);
  if (rpm < 1) return 'Allow at least 1 request per minute.';
  if (maxRpm !== null && rpm > maxRpm) return `The plan allows at most ${maxRpm} requests per minute.`;
  return null;
}

/** A problem with a typed burst (empty: it follows the rate limit), or null when it is fine; the plan caps it like the rate. */
export function burstProblem(value: string, maxRpm: number | null): string | null {
  if (value.trim() === '') return null;
  if (!/^\d+$/.test(value.trim())) return 'Enter a whole number of requests, or leave it empty.';
  const burst = Number(value);
  if (burst < 1) return 'Allow a burst of at least 1 request.';
  if (maxRpm !== null && burst > maxRpm) return `The plan allows a burst of at most ${maxRpm} requests.`;
  return null;
}
