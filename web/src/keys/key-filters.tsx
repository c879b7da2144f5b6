// Filters of the key list: environment, status and a search of names and ids.
import { useEffect, useRef, useState } from 'react';
import { ENVIRONMENTS, type Environment, KEY_STATUSES, type KeyStatus } from '../api/types.js';

/** How long typing pauses before the list follows the search field. */
export const SEARCH_PAUSE_MS = 300;
/** The longest search the server takes (a name is at most 100 characters). */
const MAX_SEARCH = 100;

export interface KeyListChoice {
  environment: Environment | '';
  status: KeyStatus | '';
  search: string;
}

interface KeyFiltersProps extends KeyListChoice {
  /** `typed`: a change of the search field, made as typing pauses. */
  onChange: (filters: KeyListChoice, how: { typed: boolean }) => void;
}

export function KeyFilters({ environment, status, search, onChange }: KeyFiltersProps) {
  const [text, setText] = useState(search);
  // The search the address holds (or was last sent to it): a new one from elsewhere (Back, a link) fills the field.
  const applied = useRef(search);
  useEffect(() => {
    if (search === applied.current) return;
    applied.current = search;
    setText(search);
  }, [search]);

  function apply(next: string) {
    applied.current = next;
    onChange({ environment, status, search: next }, { typed: true });
  }

  useEffect(() => {
    if (text === applied.current) return;
    const timer = window.setTimeout(() => apply(text), SEARCH_PAUSE_MS);
    return () => window.clearTimeout(timer);
  }, [text]);

  return (
    <form
      className="filters"
      aria-label="Key filters"
      onSubmit={(e) => {
        e.preventDefault();
        if (text !== applied.current) apply(text);
      }}
    >
      <div className="field">
        <label htmlFor="filter-search">Search</label>
        <input
          id="filter-search"
          className="input"
          type="search"
          value={text}
          maxLength={MAX_SEARCH}
          placeholder="Name or key id"
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="filter-environment">Environment</label>
        <select id="filter-environment" className="input" value={environment} onChange={(e) => onChange({ environment: e.target.value as Environment | '', status, search: text }, { typed: false })}>
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
        <select id="filter-status" className="input" value={status} onChange={(e) => onChange({ environment, status: e.target.value as KeyStatus | '', search: text }, { typed: false })}>
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
