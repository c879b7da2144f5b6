// Scopes as checkboxes from the deployment's list, plus free entry checked against the scope pattern.
import { useState } from 'react';
import { isScope } from './key-validation.js';

interface ScopePickerProps {
  idPrefix: string;
  known: readonly string[];
  value: string[];
  onChange: (scopes: string[]) => void;
  problem?: string | undefined;
}

export function ScopePicker({ idPrefix, known, value, onChange, problem }: ScopePickerProps) {
  const [typed, setTyped] = useState('');
  const options = [...known, ...value.filter((s) => !known.includes(s))];
  const typedProblem = typed !== '' && !isScope(typed.trim()) ? 'Use resource:action in lower case, e.g. sites:read.' : null;

  function toggle(scope: string, on: boolean) {
    onChange(on ? [...value, scope] : value.filter((s) => s !== scope));
  }

  function add() {
    const scope = typed.trim();
    if (!isScope(scope)) return;
    if (!value.includes(scope)) onChange([...value, scope]);
    setTyped('');
  }

  return (
    <fieldset className="field scope-picker">
      <legend>Scopes</legend>
      <p className="hint">A key can call only what its scopes allow. The connectivity check needs none.</p>
      {options.length > 0 && (
        <div className="checkbox-grid">
          {options.map((scope) => (
            <label key={scope} className="choice">
              <input type="checkbox" checked={value.includes(scope)} onChange={(e) => toggle(scope, e.target.checked)} /> <code>{scope}</code>
            </label>
          ))}
        </div>
      )}
      <div className="inline-field">
        <label htmlFor={`${idPrefix}-custom-scope`}>Other scope</label>
        <input
          id={`${idPrefix}-custom-scope`}
          className="input"
          placeholder="resource:action"
          value={typed}
          aria-invalid={typedProblem !== null}
          aria-describedby={typedProblem ? `${idPrefix}-custom-scope-problem` : undefined}
          onChange={(e) => setTyped(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" className="button" onClick={add} disabled={typed.trim() === '' || typedProblem !== null}>
          Add scope
        </button>
      </div>
      {typedProblem && (
        <p className="field-problem" id={`${idPrefix}-custom-scope-problem`}>
          {typedProblem}
        </p>
      )}
      {problem && <p className="field-problem">{problem}</p>}
    </fieldset>
  );
}
