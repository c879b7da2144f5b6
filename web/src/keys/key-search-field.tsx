// A field that searches keys by name or id, with the reason a text cannot be searched for beneath it.
import type { ReactNode } from 'react';

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
