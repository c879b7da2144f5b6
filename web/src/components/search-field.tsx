// A field that searches keys or tenants by name or id, with the reason a text cannot be searched for beneath it.
import { type ReactNode, useEffect, useState } from 'react';
import { searchProblem } from './search-problem.js';

/** How long typing pauses before a search follows the field. */
export const SEARCH_PAUSE_MS = 300;

export interface TypedSearch {
  /** What the field holds. */
  text: string;
  setText: (text: string) => void;
  /** What to search for: the text, trimmed, once typing pauses; '' while the text cannot be searched for. */
  query: string;
  /** Searches for the text now (Enter), if it can be. */
  searchNow: () => void;
  /** Puts `text` in the field and searches for it at once (a search that came from the address). */
  reset: (text: string) => void;
  problem: string | null;
}

/** A search field's text and the search it leads to, SEARCH_PAUSE_MS after typing stops; `initial` fills both. */
export function useTypedSearch(initial = ''): TypedSearch {
  const [text, setText] = useState(initial);
  const [query, setQuery] = useState(() => (searchProblem(initial) === null ? initial.trim() : ''));
  const problem = searchProblem(text);
  const next = problem === null ? text.trim() : '';

  useEffect(() => {
    if (next === query) return;
    const timer = window.setTimeout(() => setQuery(next), SEARCH_PAUSE_MS);
    return () => window.clearTimeout(timer);
  }, [next, query]);

  const reset = (to: string) => {
    setText(to);
    setQuery(searchProblem(to) === null ? to.trim() : '');
  };
  return { text, setText, query, searchNow: () => setQuery(next), reset, problem };
}

interface SearchFieldProps {
  id: string;
  label: string;
  /** What to type: "Name or key id", say. */
  placeholder: string;
  value: string;
  /** Why the text is not searched for (a pasted secret, say), or null. */
  problem: string | null;
  onChange: (text: string) => void;
  /** Shown beneath while there is no problem, described by it (what the search found, say); its `id` is `${id}-status`. */
  status?: ReactNode;
  /** Focus the field when it appears: only where the user just asked to find something. */
  autoFocus?: boolean;
}

export function SearchField({ id, label, placeholder, value, problem, onChange, status, autoFocus = false }: SearchFieldProps) {
  const describedBy = problem ? `${id}-problem` : status === undefined ? undefined : `${id}-status`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="input"
        type="search"
        value={value}
        placeholder={placeholder}
        autoFocus={autoFocus}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={problem !== null}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value)}
      />
      {problem ? (
        <p className="field-problem" id={`${id}-problem`}>
          {problem}
        </p>
      ) : (
        status !== undefined && (
          <p className="hint" id={`${id}-status`} role="status">
            {status}
          </p>
        )
      )}
    </div>
  );
}
