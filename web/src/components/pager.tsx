// "Previous page" / "Next page" buttons for a cursor-paginated list.
import { useEffect, useRef } from 'react';
import type { CursorPages } from './cursor-pages.js';

export function Pager({ pages, nextCursor, label }: { pages: CursorPages; nextCursor: string | null | undefined; label: string }) {
  const nav = useRef<HTMLElement>(null);
  const turned = useRef(false);

  // The buttons sit below the list: after a turn the user would face the foot of the new page, and "Previous" may
  // turn disabled under the focus. The list's table (the one in the pager's section) takes focus, scrolled to its top.
  useEffect(() => {
    if (!turned.current) return;
    turned.current = false;
    const table = nav.current?.parentElement?.querySelector<HTMLElement>('table');
    if (!table) return;
    table.tabIndex = -1;
    table.focus({ preventScroll: true });
    table.scrollIntoView({ block: 'start' });
  }, [pages.pageNumber]);

  function turn(to: () => void) {
    turned.current = true;
    to();
  }

  if (pages.pageNumber === 1 && !nextCursor) return null;
  return (
    <nav ref={nav} className="pager" aria-label={`${label} pages`}>
      <button type="button" className="button" onClick={() => turn(pages.previous)} disabled={pages.pageNumber === 1}>
        Previous page
      </button>
      <span aria-live="polite">Page {pages.pageNumber}</span>
      <button type="button" className="button" onClick={() => nextCursor && turn(() => pages.next(nextCursor))} disabled={!nextCursor}>
        Next page
      </button>
    </nav>
  );
}
