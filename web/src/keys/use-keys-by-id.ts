// The keys a page of rows names, by id: those of the tenant's key list, and the others read one by one.
// The key list of a large tenant is long to read and may end before its last keys (loadAllPages stops at a bound);
// the rows of one page name at most 50 keys, which are read by id once the list is done, and kept for the page's life.
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/api-error.js';
import type { ApiKey } from '../api/types.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';
import { keyIdsToRead, readEach } from './keys-by-id.js';

interface Read {
  tenantId: string;
  /** Null: read and not found; such a key shows as its id. */
  keys: ReadonlyMap<string, ApiKey | null>;
  /** Keys whose read failed (an outage): not read again until the rows are answered anew (Refresh, another page). */
  failed: ReadonlySet<string>;
  /** The rows' answer those reads failed for. */
  failedFor: unknown;
}

const NONE_READ: Omit<Read, 'tenantId'> = { keys: new Map(), failed: new Set(), failedFor: undefined };

/**
 * `listed` (the key list as read so far) and the keys of `ids` it lacks, read by id once `listDone` (the list has
 * loaded or failed): a row of a key the list lacks then shows its name, not only its id. `rows` is the answer the
 * ids come from: a read that failed is tried again with the next one.
 *
 * @example
 * const keysById = useKeysById(logs.data, logs.data?.data.map((log) => log.key_id) ?? [], listed, !keys.loading);
 */
export function useKeysById(
  rows: unknown,
  ids: readonly (string | null | undefined)[],
  listed: ReadonlyMap<string, ApiKey>,
  listDone: boolean,
): ReadonlyMap<string, ApiKey> {
  const { api } = useSession();
  const { tenantId } = useTenant();
  const [read, setRead] = useState<Read>({ tenantId, ...NONE_READ });
  const current = read.tenantId === tenantId ? read : { tenantId, ...NONE_READ };
  const failed = current.failedFor === rows ? current.failed : new Set<string>();
  const tried = { has: (id: string) => current.keys.has(id) || failed.has(id) };
  const toRead = listDone ? keyIdsToRead(ids, listed, tried) : [];
  const toReadText = toRead.join(' ');
  const currentTenant = useRef(tenantId);
  currentTenant.current = tenantId;
  const currentRows = useRef(rows);
  currentRows.current = rows;

  useEffect(() => {
    if (toRead.length === 0) return;
    void readEach(toRead, async (id) => {
      try {
        return (await api.keys.get(tenantId, id)).key;
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    }).then(({ answers, failed: failedNow }) => {
      // An answer for the tenant looked at before is dropped; those of an earlier page of rows are kept.
      if (currentTenant.current !== tenantId) return;
      // A failed read waits for the rows answered after the ones it failed for (those of now: a read that was under
      // way when they came is not tried again at once).
      const failedFor = currentRows.current;
      setRead((before) => {
        const kept = before.tenantId === tenantId ? before : { tenantId, ...NONE_READ };
        const stillFailed = kept.failedFor === failedFor ? [...kept.failed].filter((id) => !answers.has(id)) : [];
        return { tenantId, keys: new Map([...kept.keys, ...answers]), failed: new Set([...stillFailed, ...failedNow]), failedFor };
      });
    });
    // `toRead` is new each render; its text names it (new rows, which clear the failed reads, change it).
  }, [api, tenantId, toReadText]);

  const found = [...current.keys].filter((entry): entry is [string, ApiKey] => entry[1] !== null);
  return found.length === 0 ? listed : new Map([...listed, ...found]);
}
