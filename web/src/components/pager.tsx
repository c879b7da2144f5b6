// "Previous page" / "Next page" buttons for a cursor-paginated list.
import type { CursorPages } from './cursor-pages.js';

export function Pager({ pages, nextCursor, label }: { pages: CursorPages; nextCursor: string | null | undefined; label: string }) {
  if (pages.pageNumber === 1 && !nextCursor) return null;
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" className="button" onClick={pages.previous} disabled={pages.pageNumber === 1}>
        Previous page
      </button>
      <span aria-live="polite">Page {pages.pageNumber}</span>
      <button type="button" className="button" onClick={() => nextCursor && pages.next(nextCursor)} disabled={!nextCursor}>
        Next page
      </button>
    </nav>
  );
}
