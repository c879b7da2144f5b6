// The one input for a 6-digit code: numeric keyboard, one-time-code autofill, pasted codes with spaces or dashes accepted.
import { codeDigits } from './otp-messages.js';

interface CodeInputProps {
  id: string;
  label: string;
  value: string;
  onChange: (digits: string) => void;
  describedBy?: string;
  /** The id of the message saying the code was refused: the input is then marked invalid and described by it. */
  problemId?: string | undefined;
  /** Enter in the field, for inputs that sit outside a form of their own. */
  onEnter?: () => void;
  /** Takes the focus when it appears, outside a dialog too (a dialog honours `data-autofocus` by itself). */
  autoFocus?: boolean;
}

export function CodeInput({ id, label, value, onChange, describedBy, problemId, onEnter, autoFocus }: CodeInputProps) {
  const description = [describedBy, problemId].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="input code-input"
        name="code"
        type="text"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]{6}"
        required
        data-autofocus
        autoFocus={autoFocus}
        aria-invalid={problemId !== undefined}
        aria-describedby={description === '' ? undefined : description}
        value={value}
        onChange={(event) => onChange(codeDigits(event.target.value))}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && onEnter) {
            event.preventDefault();
            onEnter();
          }
        }}
      />
    </div>
  );
}
