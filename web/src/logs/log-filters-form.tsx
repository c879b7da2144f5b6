// The filter form of the request log; applied with its button so half-typed values do not fire requests.
import { type FormEvent, useState } from 'react';
import type { ApiKey } from '../api/types.js';
import { keyHint } from '../keys/key-facts.js';
import { type LogFilters, NO_FILTERS, statusProblem } from './log-filters.js';

export function LogFiltersForm({ initial, known, onApply }: { initial: LogFilters; known: ApiKey[]; onApply: (filters: LogFilters) => void }) {
  const [draft, setDraft] = useState(initial);
  const problem = statusProblem(draft.status);
  const set = (patch: Partial<LogFilters>) => setDraft((d) => ({ ...d, ...patch }));

  function submit(event: FormEvent) {
    event.preventDefault();
    if (problem === null) onApply(draft);
  }

  return (
    <form className="filters" aria-label="Request log filters" onSubmit={submit}>
      <div className="field">
        <label htmlFor="logs-key">Key</label>
        <select id="logs-key" className="input" value={draft.keyId} onChange={(e) => set({ keyId: e.target.value })}>
          <option value="">All keys</option>
          {draft.keyId !== '' && !known.some((k) => k.id === draft.keyId) && <option value={draft.keyId}>{draft.keyId}</option>}
          {known.map((k) => (
            <option key={k.id} value={k.id}>
              {k.name} ({k.environment}, {keyHint(k)})
            </option>
          ))}
        </select>
      </div>
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
      <div className="field">
        <label htmlFor="logs-from">From (UTC)</label>
        <input id="logs-from" className="input" type="datetime-local" value={draft.from} onChange={(e) => set({ from: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor="logs-to">To (UTC)</label>
        <input id="logs-to" className="input" type="datetime-local" value={draft.to} onChange={(e) => set({ to: e.target.value })} />
      </div>
      <div className="actions filters-actions">
        <button type="submit" className="button button-primary" disabled={problem !== null}>
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
