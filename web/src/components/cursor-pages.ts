// Cursor pagination state: the cursors of the pages behind the current one, so "Previous" can go back.
import { useCallback, useState } from 'react';

export interface CursorPages {
  cursor: string | null;
  pageNumber: number;
  next: (nextCursor: string) => void;
  previous: () => void;
  reset: () => void;
}

/**
 * `scope` names what is being paged (e.g. the filters): when it changes, by a new filter or by Back, paging starts
 * again at the first page, since the old cursors belong to another list.
 *
 * @example
 * const pages = useCursorPages(JSON.stringify(query));
 */
export function useCursorPages(scope = ''): CursorPages {
  const [state, setState] = useState<{ scope: string; stack: Array<string | null> }>({ scope, stack: [null] });
  const stack = state.scope === scope ? state.stack : [null];
  const next = useCallback((nextCursor: string) => setState((s) => ({ scope, stack: [...(s.scope === scope ? s.stack : [null]), nextCursor] })), [scope]);
  const previous = useCallback(
    () => setState((s) => ({ scope, stack: s.scope === scope && s.stack.length > 1 ? s.stack.slice(0, -1) : [null] })),
    [scope],
  );
  const reset = useCallback(() => setState({ scope, stack: [null] }), [scope]);
  return { cursor: stack[stack.length - 1] ?? null, pageNumber: stack.length, next, previous, reset };
}
