// A modal dialog: role="dialog", aria-modal, focus kept inside, the page behind made inert, focus restored on close.
import { type FocusEvent, type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

interface DialogProps {
  title: string;
  children: ReactNode;
  /** Called on Escape and backdrop click; leave it out for a dialog that must not close that way yet. */
  onDismiss?: (() => void) | undefined;
  /**
   * A form with changes: a click beside the dialog (easily a stray one) then does not dismiss it. Escape still
   * does, as Cancel does: both are deliberate.
   */
  keepOnBackdrop?: boolean;
  wide?: boolean;
  describedBy?: string;
  /**
   * Where focus goes on closing when the element it would return to has left the page, such as "Rotate key" on
   * a key just rotated. Without it, the page's heading takes it (not <body>, where a keyboard user starts over).
   */
  fallbackFocus?: (() => HTMLElement | null) | undefined;
}

/**
 * Where focus returns when a dialog closes, handed to a dialog that replaces it in the same render (create key →
 * secret): that one opened from inside the first, so its own "before" is gone when it closes.
 */
let handedOver: HTMLElement | null = null;

function focusables(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.offsetParent !== null || el === document.activeElement);
}

/** The page's own heading, made focusable by script if need be: where focus goes when nothing nearer is left. */
function pageHeading(): HTMLElement | null {
  const heading = document.querySelector<HTMLElement>('#main h1');
  if (heading !== null && !heading.hasAttribute('tabindex')) heading.tabIndex = -1;
  return heading;
}

export function Dialog({ title, children, onDismiss, keepOnBackdrop, wide, describedBy, fallbackFocus }: DialogProps) {
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);
  const dismiss = useRef(onDismiss);
  dismiss.current = onDismiss;
  const fallback = useRef(fallbackFocus);
  fallback.current = fallbackFocus;
  // Taken while rendering, before the dialog holds focus (an effect may run twice in development). <body> is no
  // place to return to: focus lands there when the element that had it leaves the page (a step-up panel inside
  // the dialog this one replaces), and a dialog handed over from another returns where that one would have.
  const [before] = useState(() => (document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null));

  useEffect(() => {
    // A closing dialog's cleanup runs just before this in the same commit, and only then is `handedOver` set.
    const returnTo = before?.isConnected && !before.closest('[role="dialog"]') ? before : (handedOver ?? before);
    const app = document.getElementById('root');
    app?.setAttribute('inert', '');
    const root = panel.current;
    const autofocus = root?.querySelector<HTMLElement>('[data-autofocus]') ?? (root ? focusables(root)[0] : undefined);
    (autofocus ?? root)?.focus();
    return () => {
      app?.removeAttribute('inert');
      handedOver = returnTo;
      queueMicrotask(() => {
        handedOver = null;
      });
      (returnTo?.isConnected ? returnTo : (fallback.current?.() ?? pageHeading()))?.focus();
    };
  }, [before]);

  /** A pressed button that turns disabled while busy drops focus to <body>; keep it in the dialog, where Escape and Tab work. */
  function onBlur(event: FocusEvent<HTMLDivElement>) {
    if (event.relatedTarget !== null) return;
    queueMicrotask(() => {
      const active = document.activeElement;
      if ((active === null || active === document.body) && panel.current?.isConnected) panel.current.focus();
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      dismiss.current?.();
      return;
    }
    if (event.key !== 'Tab' || !panel.current) return;
    const items = focusables(panel.current);
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) {
      event.preventDefault();
      return;
    }
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  return createPortal(
    <div className="backdrop" onMouseDown={(event) => event.target === event.currentTarget && !keepOnBackdrop && dismiss.current?.()}>
      <div
        ref={panel}
        className={wide ? 'dialog dialog-wide' : 'dialog'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={describedBy}
        tabIndex={-1}
        onKeyDown={onKeyDown}
        onBlur={onBlur}
      >
        <h2 id={titleId} className="dialog-title">
          {title}
        </h2>
        {children}
      </div>
    </div>,
    document.body,
  );
}

/** A dialog's footer: its main action, then Cancel (focused first where cancelling is the safe choice). */
export function DialogActions({ children, onCancel, focusCancel }: { children: ReactNode; onCancel: () => void; focusCancel?: boolean }) {
  return (
    <div className="actions dialog-actions">
      {children}
      <button type="button" className="button" onClick={onCancel} {...(focusCancel ? { 'data-autofocus': true } : {})}>
        Cancel
      </button>
    </div>
  );
}
