// Loads data for a component and reloads when its inputs change; late answers of stale requests are dropped.
// A failed load drops the previous answer too: shown under new filters, old rows would pass for the answer to them.
import { type Dispatch, type SetStateAction, useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: Dispatch<SetStateAction<T | undefined>>;
}

/**
 * `data` is the answer to the latest load, kept while the next one runs, or undefined once a load failed.
 *
 * @example
 * const keys = useLoad(() => api.keys.list(tenantId, { status }), [api, tenantId, status]);
 */
export function useLoad<T>(load: () => Promise<T>, inputs: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    const ticket = ++latest.current;
    setLoading(true);
    load().then(
      (value) => {
        if (ticket !== latest.current) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (cause: unknown) => {
        if (ticket !== latest.current) return;
        setData(undefined);
        setError(cause);
        setLoading(false);
      },
    );
    // `load` is a new closure each render; `inputs` name what it depends on.
  }, [...inputs, round]);

  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { data, error, loading, reload, setData };
}
