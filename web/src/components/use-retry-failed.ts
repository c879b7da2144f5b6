// Reads again a lookup that failed (the keys or members that name a list's rows) when the list gets a new answer:
// after an outage, Refresh or a filter change brings the names back with the rows, not only leaving the page.
import { useEffect } from 'react';
import type { Loaded } from './use-load.js';

/**
 * Reloads `lookup` when `answer` (the data of the list it names) changes while the lookup's last load failed.
 * Only then: a lookup that loaded is not read again with every page of the list.
 *
 * @example
 * useRetryFailed(keys, logs.data);
 */
export function useRetryFailed(lookup: Pick<Loaded<unknown>, 'error' | 'reload'>, answer: unknown): void {
  const { error, reload } = lookup;
  useEffect(() => {
    if (answer !== undefined && error !== null) reload();
    // Only a new answer retries: a lookup failing again waits for the next one rather than trying in a loop.
  }, [answer]);
}
