// Remembers, for this tab, the address it last signed in to with a code and when: asked for a new code right after
// signing out, the server may refuse within its cooldown (429), and then the code "already sent" is the one used up.
// Only the address and the time are kept, never the code.

const STORAGE_KEY = 'latchkey.codeSignIn';

/** The contract's cooldown: one code per address per 60 s, used or not. */
const COOLDOWN_MS = 60_000;

/** The part of `sessionStorage` used here, so that tests can pass a stand-in. */
export type SignInStore = Pick<Storage, 'getItem' | 'setItem'>;

/** The server compares addresses in lower case and Unicode NFC; so does this. */
function sameAddress(email: string): string {
  return email.trim().normalize('NFC').toLowerCase();
}

/** This tab's sessionStorage, or null where the browser refuses it (then nothing is remembered). */
export function tabStore(): SignInStore | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/** Notes that this tab signed in to `email` with a code at `now`. */
export function rememberCodeSignIn(email: string, store: SignInStore | null = tabStore(), now = Date.now()): void {
  try {
    store?.setItem(STORAGE_KEY, JSON.stringify({ email: sameAddress(email), at: now }));
  } catch {
    // A full or refused storage only costs the more precise message after a sign-out.
  }
}

/**
 * Whether this tab signed in to `email` with a code less than the cooldown ago: a cooldown on that address then
 * started with the code it signed in with, or one sent since, and the page must not send the user to the used one.
 *
 * @example
 * rememberCodeSignIn('olivia@acme.example', store, 0);
 * signedInWithCodeRecently('Olivia@Acme.example', store, 30_000); // true
 */
export function signedInWithCodeRecently(email: string, store: SignInStore | null = tabStore(), now = Date.now()): boolean {
  let saved: unknown;
  try {
    saved = JSON.parse(store?.getItem(STORAGE_KEY) ?? 'null');
  } catch {
    return false;
  }
  if (typeof saved !== 'object' || saved === null) return false;
  const { email: signedIn, at } = saved as Record<string, unknown>;
  return signedIn === sameAddress(email) && typeof at === 'number' && now - at >= 0 && now - at < COOLDOWN_MS;
}
