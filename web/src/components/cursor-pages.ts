// Cursor pagination state: the cursors of the pages behind the current one, so "Previous" can go back.
import { useCallback, useState } from 'react';

export interface CursorPages {
  cursor: string | null;
  pageNumber: number;
  next: (nextCursor: string) => void;
  previous: () => void;
  reset: () => void;
}

export function useCursorPages(): CursorPages {
  const [stack, setStack] = useState<Array<string | null>>([null]);
  const next = useCallback((nextCursor: string) => setStack((s) => [...s, nextCursor]), []);
  const previous = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), []);
  const reset = useCallback(() => setStack([null]), []);
  return { cursor: stack[stack.length - 1] ?? null, pageNumber: stack.length, next, previous, reset };
}
