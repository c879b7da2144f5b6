// History-API navigation: a hook that follows the address bar, `navigate`, a Link that stays in the app, and a guard against leaving.
import { type AnchorHTMLAttributes, type MouseEvent, useEffect, useRef, useSyncExternalStore } from 'react';

const CHANGE = 'latchkey:navigate';

const snapshot = () => window.location.pathname + window.location.search;

/** The address the app shows; a held Back or Forward is sent back here. */
let shown = '';
/** One callback per active guard (see `useLeaveGuard`); while any is set, Back and Forward do not change the page. */
const holds = new Set<() => void>();
let listening = false;

function followHistory(): void {
  const now = snapshot();
  if (now === shown) return;
  if (holds.size > 0) {
    // The browser has already moved; a new entry for the shown address undoes that without leaving the page.
    window.history.pushState(null, '', shown);
    for (const held of holds) held();
    return;
  }
  shown = now;
  window.dispatchEvent(new Event(CHANGE));
}

/** One popstate listener for the whole app, so a guard is asked once per Back, however many components follow the address. */
function listenToHistory(): void {
  if (listening) return;
  listening = true;
  shown = snapshot();
  window.addEventListener('popstate', followHistory);
}

function subscribe(onChange: () => void): () => void {
  listenToHistory();
  window.addEventListener(CHANGE, onChange);
  return () => window.removeEventListener(CHANGE, onChange);
}

/** The current path and query; re-renders on navigation. */
export function useUrl(): { pathname: string; search: string } {
  const url = useSyncExternalStore(subscribe, snapshot);
  const at = url.indexOf('?');
  return at === -1 ? { pathname: url, search: '' } : { pathname: url.slice(0, at), search: url.slice(at) };
}

export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (href === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  shown = snapshot();
  window.scrollTo(0, 0);
  window.dispatchEvent(new Event(CHANGE));
}

function confirmUnload(event: BeforeUnloadEvent): void {
  event.preventDefault();
  // Older browsers ask only when a return value is set.
  event.returnValue = '';
}

/**
 * While `active`, the page cannot be left by accident: Back and Forward stay on it (`onHeld` is told, to say
 * why), and reloading or closing the tab asks first. For what is lost on leaving, such as a secret shown once.
 *
 * @example
 * useLeaveGuard(!stored, () => setLeaveHeld(true));
 */
export function useLeaveGuard(active: boolean, onHeld: () => void): void {
  const latest = useRef(onHeld);
  latest.current = onHeld;
  useEffect(() => {
    if (!active) return;
    const held = () => latest.current();
    listenToHistory();
    holds.add(held);
    window.addEventListener('beforeunload', confirmUnload);
    return () => {
      holds.delete(held);
      window.removeEventListener('beforeunload', confirmUnload);
    };
  }, [active]);
}

function isPlainClick(event: MouseEvent<HTMLAnchorElement>): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return (
    <a
      {...rest}
      href={href}
      onClick={(event) => {
        onClick?.(event);
        if (event.defaultPrevented || !isPlainClick(event)) return;
        event.preventDefault();
        navigate(href);
      }}
    />
  );
}
