// The expiry choice: presets, a custom date, "never" unless the plan is known to forbid it, "keep" when editing.
import { EXPIRY_LABELS, type ExpiryChoice, PRESET_DAYS } from './expiry.js';

interface ExpiryFieldProps {
  idPrefix: string;
  choice: ExpiryChoice;
  customDate: string;
  /** Whether the plan allows keys that never expire; null while the plan is unknown, when "never" is offered and the server decides. */
  allowNever: boolean | null;
  allowKeep: boolean;
  /** The plan's bound on a key's life in days (presets past it are not offered), or null for none. */
  maxDays?: number | null | undefined;
  onChange: (choice: ExpiryChoice, customDate: string) => void;
  problem?: string | undefined;
  dateProblem?: string | undefined;
}

export function ExpiryField({ idPrefix, choice, customDate, allowNever, allowKeep, maxDays = null, onChange, problem, dateProblem }: ExpiryFieldProps) {
  const id = `${idPrefix}-expiry`;
  const neverHint = allowNever === false;
  const describedBy = [neverHint && `${id}-hint`, problem && `${id}-problem`].filter(Boolean).join(' ') || undefined;
  const dateDescribedBy = [`${id}-date-hint`, dateProblem && `${id}-date-problem`].filter(Boolean).join(' ');
  const withinBound = (preset: ExpiryChoice) => maxDays === null || preset === choice || (PRESET_DAYS[preset] ?? 0) <= maxDays;
  const presets = (['30d', '90d', '1y'] as const).filter(withinBound);
  const choices: ExpiryChoice[] = [...(allowKeep ? ['keep' as const] : []), ...presets, 'custom', ...(allowNever !== false || choice === 'never' ? ['never' as const] : [])];
  return (
    <div className="field">
      <label htmlFor={`${idPrefix}-expiry`}>Expires</label>
      <select
        id={id}
        className="input"
        value={choice}
        aria-invalid={problem !== undefined}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value as ExpiryChoice, customDate)}>
        {choices.map((c) => (
          <option key={c} value={c}>
            {c === '1y' && !allowKeep ? `${EXPIRY_LABELS[c]} (default)` : EXPIRY_LABELS[c]}
          </option>
        ))}
      </select>
      {neverHint && (
        <p className="hint" id={`${id}-hint`}>
          Keys that never expire need a plan that allows them.{maxDays !== null && ` This plan lets a key live at most ${maxDays} days.`}
        </p>
      )}
      {problem && (
        <p className="field-problem" id={`${id}-problem`}>
          {problem}
        </p>
      )}
      {choice === 'custom' && (
        <div className="field">
          <label htmlFor={`${idPrefix}-expiry-date`}>Expiry date</label>
          <input
            id={`${idPrefix}-expiry-date`}
            className="input"
            type="date"
            value={customDate}
            aria-invalid={dateProblem !== undefined}
            aria-describedby={dateDescribedBy}
            onChange={(e) => onChange(choice, e.target.value)}
          />
          <p className="hint" id={`${id}-date-hint`}>
            The key stops working at the end of that day (UTC).
          </p>
          {dateProblem && (
            <p className="field-problem" id={`${id}-date-problem`}>
              {dateProblem}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
