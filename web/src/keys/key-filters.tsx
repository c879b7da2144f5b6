// Filters of the key list: environment, status and a search of names and ids.
import { useEffect, useRef, useState } from 'react';
import { ENVIRONMENTS, type Environment, KEY_STATUSES, type KeyStatus } from '../api/types.js';
import { SearchField, SEARCH_PAUSE_MS } from '../components/search-field.js';
import { searchProblem } from '../components/search-problem.js';

export interface KeyListChoice {
  environment: Environment | '';
  status: KeyStatus | '';
  search: string;
}

interface KeyFiltersProps extends KeyListChoice {
  /** `typed`: a change of the search field, made as typing pauses or on Enter. */
  onChange: (filters: KeyListChoice, how: { typed: boolean }) => void;
}

export function KeyFilters({ environment, status, search, onChange }: KeyFiltersProps) {
  const [text, setText] = useState(search);
  const problem = searchProblem(text);
  // What this form last put in the address; an address that differs came from elsewhere (Back, a link).
  const sent = useRef({ environment, status, search });
  const pending = useRef<number | undefined>(undefined);
  // The filters of now, for a search applied when typing pauses (the render that set the timer may be older).
  const latest = useRef({ environment, status, onChange });
  latest.current = { environment, status, onChange };

  function cancelPending() {
    window.clearTimeout(pending.current);
    pending.current = undefined;
  }

  function change(next: KeyListChoice, typed: boolean) {
    cancelPending();
    sent.current = next;
    latest.current.onChange(next, { typed });
  }

  /** The search typed so far, if it differs from the address's and can be sent. */
  function applyTyped(typed: string) {
    const next = typed.trim();
    if (next === sent.current.search || searchProblem(typed) !== null) return;
    change({ environment: latest.current.environment, status: latest.current.status, search: next }, true);
  }

  useEffect(() => {
    const own = sent.current;
    if (own.environment === environment && own.status === status && own.search === search) return;
    // Another address: its search fills the field, and typing not yet applied is dropped.
    cancelPending();
    sent.current = { environment, status, search };
    setText(search);
  }, [environment, status, search]);

  useEffect(() => {
    cancelPending();
    if (text.trim() === sent.current.search) return;
    pending.current = window.setTimeout(() => applyTyped(text), SEARCH_PAUSE_MS);
    return cancelPending;
  }, [text]);

  // A search that can be sent replaces the typed text of the pending one, whichever select changes.
  const searchNow = problem === null ? text.trim() : sent.current.search;

  return (
    <form
      className="filters"
      aria-label="Key filters"
      onSubmit={(e) => {
        e.preventDefault();
        applyTyped(text);
      }}
    >
      <SearchField id="filter-search" label="Search" placeholder="Name or key id" value={text} problem={problem} onChange={setText} />
      <div className="field">
        <label htmlFor="filter-environment">Environment</label>
        <select id="filter-environment" className="input" value={environment} onChange={(e) => change({ environment: e.target.value as Environment | '', status, search: searchNow }, false)}>
          <option value="">All environments</option>
          {ENVIRONMENTS.map((env) => (
            <option key={env} value={env}>
              {env}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-status">Status</label>
        <select id="filter-status" className="input" value={status} onChange={(e) => change({ environment, status: e.target.value as KeyStatus | '', search: searchNow }, false)}>
          <option value="">All statuses</option>
          {KEY_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}
