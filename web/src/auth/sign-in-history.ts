// The sign-in code step as a history entry of its own: Back returns to the e-mail step instead of leaving the app.
// The entry has the page's URL and the e-mail address in its state, so the router (which follows path and query) ignores it.
import { useEffect, useRef } from 'react';

const CODE_FOR = 'latchkeySignInCodeFor';

/** The address whose code step a history entry's state stands for, or null for any other entry. */
export function codeStepEmail(state: unknown): string | null {
  if (typeof state !== 'object' || state === null) return null;
  const email: unknown = (state as Record<string, unknown>)[CODE_FOR];
  return typeof email === 'string' ? email : null;
}

/** Adds the code step for `email` after the current entry (dropping any Forward entries), on the same address. */
export function pushCodeStep(email: string): void {
  window.history.pushState({ [CODE_FOR]: email }, '');
}

/**
 * Steps back off the code step's entry when it is the current one, and resolves true once the browser has moved;
 * false at once when there is no such entry.
 */
export function leaveCodeStep(): Promise<boolean> {
  if (codeStepEmail(window.history.state) === null) return Promise.resolve(false);
  return new Promise((resolve) => {
    window.addEventListener('popstate', () => resolve(true), { once: true });
    window.history.back();
  });
}

/**
 * Calls `onStep` with the code step's address, or null for the e-mail step, when Back or Forward moves between the
 * two. A code step's entry left from before a reload is made plain, as the page starts again at the e-mail step.
 *
 * @example
 * useSignInSteps((codeFor) => setEmail(codeFor));
 */
export function useSignInSteps(onStep: (codeFor: string | null) => void): void {
  const latest = useRef(onStep);
  latest.current = onStep;
  useEffect(() => {
    if (codeStepEmail(window.history.state) !== null) window.history.replaceState(null, '');
    const follow = (event: PopStateEvent) => latest.current(codeStepEmail(event.state));
    window.addEventListener('popstate', follow);
    return () => window.removeEventListener('popstate', follow);
  }, []);
}
