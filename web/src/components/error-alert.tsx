// Shows an API error's `details` (and field messages) where the failed action was.
import { ApiError, errorText, fieldsNotInDetails } from '../api/api-error.js';

export function ErrorAlert({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  const fields = error instanceof ApiError ? fieldsNotInDetails(error.details, error.fields) : [];
  return (
    <div className="alert alert-error" role="alert">
      <p>{errorText(error)}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={f.field}>
              <code>{f.field}</code>: {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
