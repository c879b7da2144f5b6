// The Key filter of the request log: the tenant's newest keys to choose from, and, for a tenant with more, a field
// that finds the others by name or id on the server (a list of thousands of keys is long to read and to scroll).
import { useState } from 'react';
import type { ApiKey } from '../api/types.js';
import { useLoad } from '../components/use-load.js';
import { keyHint } from '../keys/key-facts.js';
import { SearchField, useTypedSearch } from '../components/search-field.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';

/** Keys offered at once: the newest of the tenant, and the first of what a search finds. */
export const KEYS_OFFERED = 100;

interface KeyPickerProps {
  /** The chosen key's id, or '' for all keys. */
  value: string;
  onChange: (keyId: string) => void;
  /** The tenant's newest keys (and the chosen one). */
  listed: readonly ApiKey[];
  /** True when the tenant has keys beyond `listed`: a search field finds them. */
  more: boolean;
}

export function KeyPicker({ value, onChange, listed, more }: KeyPickerProps) {
  const { api } = useSession();
  const { tenantId } = useTenant();
  const { text, setText, query, problem } = useTypedSearch();
  // The key chosen from a search's options, still named once another search no longer offers it.
  const [picked, setPicked] = useState<ApiKey | undefined>(undefined);

  const found = useLoad(() => (query === '' ? Promise.resolve(null) : api.keys.list(tenantId, { search: query, limit: KEYS_OFFERED })), [api, tenantId, query]);
  // While a new search loads, the keys of the one before stay offered.
  const searched = query !== '' && found.error === null && found.data ? found.data.data : null;
  const offered = searched ?? listed;
  const chosen = value === '' ? undefined : [...listed, ...(searched ?? []), ...(picked ? [picked] : [])].find((k) => k.id === value);

  return (
    <>
      {more && (
        <SearchField
          id="logs-key-search"
          label="Find a key"
          placeholder="Name or key id"
          value={text}
          problem={problem}
          onChange={setText}
          status={searchStatus(query, found.loading ? null : searched, found.error !== null)}
        />
      )}
      <div className="field">
        <label htmlFor="logs-key">Key</label>
        <select
          id="logs-key"
          className="input"
          value={value}
          onChange={(e) => {
            setPicked(offered.find((k) => k.id === e.target.value));
            onChange(e.target.value);
          }}
        >
          <option value="">All keys</option>
          {value !== '' && !offered.some((k) => k.id === value) && <option value={value}>{chosen ? label(chosen) : value}</option>}
          {offered.map((k) => (
            <option key={k.id} value={k.id}>
              {label(k)}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}

function label(key: ApiKey): string {
  return `${key.name} (${key.environment}, ${keyHint(key)})`;
}

/** What the Key list offers, said under the search field. */
function searchStatus(query: string, searched: readonly ApiKey[] | null, failed: boolean): string {
  if (query === '') return `The newest ${KEYS_OFFERED} keys; type to find others.`;
  if (failed) return 'The search failed; the newest keys are offered.';
  if (searched === null) return 'Searching…';
  if (searched.length === 0) return `No key matches “${query}”.`;
  return searched.length >= KEYS_OFFERED ? `The first ${KEYS_OFFERED} keys matching “${query}”.` : `${searched.length} ${searched.length === 1 ? 'key matches' : 'keys match'} “${query}”.`;
}
