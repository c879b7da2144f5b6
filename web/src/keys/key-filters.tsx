// Filters of the key list: environment and status.
import { ENVIRONMENTS, type Environment, KEY_STATUSES, type KeyStatus } from '../api/types.js';

interface KeyFiltersProps {
  environment: Environment | '';
  status: KeyStatus | '';
  onChange: (filters: { environment: Environment | ''; status: KeyStatus | '' }) => void;
}

export function KeyFilters({ environment, status, onChange }: KeyFiltersProps) {
  return (
    <form className="filters" aria-label="Key filters" onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label htmlFor="filter-environment">Environment</label>
        <select id="filter-environment" className="input" value={environment} onChange={(e) => onChange({ environment: e.target.value as Environment | '', status })}>
          <option value="">All environments</option>
          {ENVIRONMENTS.map((env) => (
            <option key={env} value={env}>
              {env}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-status">Status</label>
        <select id="filter-status" className="input" value={status} onChange={(e) => onChange({ environment, status: e.target.value as KeyStatus | '' })}>
          <option value="">All statuses</option>
          {KEY_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}
