// Scopes as checkboxes from the deployment's list, plus free entry checked against the scope pattern.
import { isScope } from './key-validation.js';

interface ScopePickerProps {
  idPrefix: string;
  known: readonly string[];
  value: string[];
  onChange: (scopes: string[]) => void;
  /** The text in "Other scope"; kept by the form, so a scope typed and never added stops the submit. */
  typed: string;
  onTypedChange: (typed: string) => void;
  problem?: string | undefined;
  typedProblem?: string | undefined;
}

export function ScopePicker({ idPrefix, known, value, onChange, typed, onTypedChange, problem, typedProblem }: ScopePickerProps) {
  const options = [...known, ...value.filter((s) => !known.includes(s))];
  const typedId = `${idPrefix}-custom-scope`;
  // A problem with no malformed scope to point at (too many, or one the server refused) is the selection's: each checked box carries it.
  const malformed = value.some((s) => !isScope(s));
  const blamed = (scope: string) => problem !== undefined && (malformed ? !isScope(scope) : value.includes(scope));

  function toggle(scope: string, on: boolean) {
    onChange(on ? [...value, scope] : value.filter((s) => s !== scope));
  }

  function add() {
    const scope = typed.trim();
    if (!isScope(scope)) return;
    if (!value.includes(scope)) onChange([...value, scope]);
    onTypedChange('');
  }

  return (
    <fieldset className="field scope-picker" aria-describedby={problem ? `${idPrefix}-scopes-problem` : undefined}>
      <legend>Scopes</legend>
      <p className="hint">A key can call only what its scopes allow. The connectivity check needs none.</p>
      {options.length > 0 && (
        <div className="checkbox-grid">
          {options.map((scope) => (
            <label key={scope} className="choice">
              <input
                type="checkbox"
                checked={value.includes(scope)}
                aria-invalid={blamed(scope)}
                aria-describedby={blamed(scope) ? `${idPrefix}-scopes-problem` : undefined}
                onChange={(e) => toggle(scope, e.target.checked)}
              /> <code>{scope}</code>
            </label>
          ))}
        </div>
      )}
      <div className="inline-field">
        <label htmlFor={typedId}>Other scope</label>
        <input
          id={typedId}
          className="input"
          placeholder="resource:action"
          value={typed}
          aria-invalid={typedProblem !== undefined}
          aria-describedby={typedProblem ? `${typedId}-problem` : undefined}
          onChange={(e) => onTypedChange(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" className="button" onClick={add} disabled={!isScope(typed.trim())}>
          Add scope
        </button>
      </div>
      {typedProblem && (
        <p className="field-problem" id={`${typedId}-problem`}>
          {typedProblem}
        </p>
      )}
      {problem && (
        <p className="field-problem" id={`${idPrefix}-scopes-problem`}>
          {problem}
        </p>
      )}
    </fieldset>
  );
}
