// The filter form of the request log; applied with its button so half-typed values do not fire requests.
import { type FormEvent, type ReactNode, useState } from 'react';
import type { ApiKey } from '../api/types.js';
import { KeyPicker } from './key-picker.js';
import { type LogFilters, NO_FILTERS, rangeProblem, statusProblem } from './log-filters.js';

interface DateTimeFieldProps {
  id: string;
  label: string;
  value: string;
  /** The id of the message about the range, when it is wrong: both ends are marked and described by it. */
  problemId: string | undefined;
  onChange: (value: string) => void;
  children?: ReactNode;
}

function DateTimeField({ id, label, value, problemId, onChange, children }: DateTimeFieldProps) {
  return (
    <div className="field field-datetime">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="input"
        type="datetime-local"
        value={value}
        aria-invalid={problemId !== undefined}
        aria-describedby={problemId}
        onChange={(e) => onChange(e.target.value)}
      />
      {children}
    </div>
  );
}

interface LogFiltersFormProps {
  initial: LogFilters;
  /** The tenant's newest keys, and the one filtered by. */
  known: ApiKey[];
  /** True when the tenant has more keys than `known`. */
  moreKeys: boolean;
  onApply: (filters: LogFilters) => void;
}

export function LogFiltersForm({ initial, known, moreKeys, onApply }: LogFiltersFormProps) {
  const [draft, setDraft] = useState(initial);
  const problem = statusProblem(draft.status);
  const badRange = rangeProblem(draft.from, draft.to);
  const rangeDescription = badRange ? 'logs-range-problem' : undefined;
  const set = (patch: Partial<LogFilters>) => setDraft((d) => ({ ...d, ...patch }));

  function submit(event: FormEvent) {
    event.preventDefault();
    if (problem === null && badRange === null) onApply(draft);
  }

  return (
    <form className="filters" aria-label="Request log filters" onSubmit={submit}>
      <KeyPicker value={draft.keyId} onChange={(keyId) => set({ keyId })} listed={known} more={moreKeys} />
      <div className="field">
        <label htmlFor="logs-status">HTTP status</label>
        <input
          id="logs-status"
          className="input"
          inputMode="numeric"
          placeholder="e.g. 401"
          value={draft.status}
          aria-invalid={problem !== null}
          aria-describedby={problem ? 'logs-status-problem' : undefined}
          onChange={(e) => set({ status: e.target.value })}
        />
        {problem && (
          <p className="field-problem" id="logs-status-problem">
            {problem}
          </p>
        )}
      </div>
      <DateTimeField id="logs-from" label="From (UTC)" value={draft.from} problemId={rangeDescription} onChange={(from) => set({ from })} />
      <DateTimeField id="logs-to" label="To (UTC)" value={draft.to} problemId={rangeDescription} onChange={(to) => set({ to })}>
        {badRange && (
          <p className="field-problem" id="logs-range-problem">
            {badRange}
          </p>
        )}
      </DateTimeField>
      <div className="actions filters-actions">
        <button type="submit" className="button button-primary" disabled={problem !== null || badRange !== null}>
          Apply filters
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            setDraft(NO_FILTERS);
            onApply(NO_FILTERS);
          }}
        >
          Clear filters
        </button>
      </div>
    </form>
  );
}
