// A labelled text input or textarea with its hint and problem tied to it by aria-describedby.
import type { InputHTMLAttributes } from 'react';

interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string | undefined;
  problem?: string | undefined;
  multiline?: boolean;
  rows?: number;
  input?: Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange'>;
  mono?: boolean;
}

export function TextField({ id, label, value, onChange, hint, problem, multiline, rows = 3, input, mono }: TextFieldProps) {
  const describedBy = [hint && `${id}-hint`, problem && `${id}-problem`].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    value,
    className: mono ? 'input mono' : 'input',
    'aria-invalid': problem !== undefined,
    'aria-describedby': describedBy,
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea {...common} rows={rows} spellCheck={false} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...input} {...common} onChange={(e) => onChange(e.target.value)} />
      )}
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {problem && (
        <p className="field-problem" id={`${id}-problem`}>
          {problem}
        </p>
      )}
    </div>
  );
}
