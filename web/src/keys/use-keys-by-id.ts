// The keys a page of rows names, by id: those of the tenant's key list, and the others read one by one.
// The key list of a large tenant is long to read and may end before its last keys (loadAllPages stops at a bound);
// the rows of one page name at most 50 keys, which are read by id once the list is done, and kept for the page's life.
import { useEffect, useRef, useState } from 'react';
import type { ApiKey } from '../api/types.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';
import { keyIdsToRead, readEach } from './keys-by-id.js';

interface Read {
  tenantId: string;
  /** Null: read and not found (or the read failed); such a key shows as its id. */
  keys: ReadonlyMap<string, ApiKey | null>;
}

/**
 * `listed` (the key list as read so far) and the keys of `ids` it lacks, read by id once `listDone` (the list has
 * loaded or failed): a row of a key the list lacks then shows its name, not only its id.
 *
 * @example
 * const keysById = useKeysById(logs.data?.data.map((log) => log.key_id) ?? [], listed, !keys.loading);
 */
export function useKeysById(ids: readonly (string | null | undefined)[], listed: ReadonlyMap<string, ApiKey>, listDone: boolean): ReadonlyMap<string, ApiKey> {
  const { api } = useSession();
  const { tenantId } = useTenant();
  const [read, setRead] = useState<Read>({ tenantId, keys: new Map() });
  const tried = read.tenantId === tenantId ? read.keys : new Map<string, ApiKey | null>();
  const toRead = listDone ? keyIdsToRead(ids, listed, tried) : [];
  const toReadText = toRead.join(' ');
  const currentTenant = useRef(tenantId);
  currentTenant.current = tenantId;

  useEffect(() => {
    if (toRead.length === 0) return;
    void readEach(toRead, async (id) => (await api.keys.get(tenantId, id)).key).then((answers) => {
      // An answer for the tenant looked at before is dropped; those of an earlier page of rows are kept.
      if (currentTenant.current !== tenantId) return;
      setRead((before) => ({ tenantId, keys: new Map([...(before.tenantId === tenantId ? before.keys : []), ...answers]) }));
    });
    // `toRead` is new each render; its text names it.
  }, [api, tenantId, toReadText]);

  const found = [...tried].filter((entry): entry is [string, ApiKey] => entry[1] !== null);
  return found.length === 0 ? listed : new Map([...listed, ...found]);
}
