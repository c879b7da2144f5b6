// A field that searches keys by name or id, with the reason a text cannot be searched for beneath it.
import type { ReactNode } from 'react';
import { holdsKey } from '../../../src/core/key-shape.js';

/** How long typing pauses before a search follows the field. */
export const SEARCH_PAUSE_MS = 300;
/** The longest search the server takes (`MAX_KEY_SEARCH_CHARACTERS`), in code points, as a name is counted. */
const MAX_SEARCH = 100;

/** Why `text` is not searched for, or null. A secret is never put in the address (nor sent in a URL). */
export function searchProblem(text: string): string | null {
  if (holdsKey(text)) return 'That is a key’s secret: search by the key’s name or id, never by its secret.';
  if ([...text.trim()].length > MAX_SEARCH) return `At most ${MAX_SEARCH} characters.`;
  return null;
}

interface KeySearchFieldProps {
  id: string;
  label: string;
  value: string;
  /** Why the text is not searched for (a pasted secret, say), or null. */
  problem: string | null;
  onChange: (text: string) => void;
  /** Shown beneath while there is no problem, described by it (what the search found, say); its `id` is `${id}-status`. */
  status?: ReactNode;
}

export function KeySearchField({ id, label, value, problem, onChange, status }: KeySearchFieldProps) {
  const describedBy = problem ? `${id}-problem` : status === undefined ? undefined : `${id}-status`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="input"
        type="search"
        value={value}
        placeholder="Name or key id"
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
