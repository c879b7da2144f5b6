// An error answer of the API (or a network failure) as one typed value the UI can show.

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: string;
  readonly fields: FieldError[];
  readonly requestId: string | null;
  /** Seconds from `Retry-After` (429), when the server sent it. */
  readonly retryAfterSeconds: number | null;

  constructor(init: { status: number; code: string; details: string; fields?: FieldError[]; requestId?: string | null; retryAfterSeconds?: number | null }) {
    super(init.details);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.fields = init.fields ?? [];
    this.requestId = init.requestId ?? null;
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readFields(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) =>
    isRecord(item) && typeof item.field === 'string' && typeof item.message === 'string' ? [{ field: item.field, message: item.message }] : [],
  );
}

/** Parses a `Retry-After` header given in seconds (the only form the server sends). */
export function parseRetryAfter(header: string | null): number | null {
  if (header === null || !/^\d+$/.test(header.trim())) return null;
  return Number(header.trim());
}

/** Builds the ApiError for a non-2xx answer from its parsed body (which may be anything, e.g. a proxy's HTML). */
export function apiErrorFromBody(status: number, body: unknown, retryAfter: string | null): ApiError {
  const retryAfterSeconds = parseRetryAfter(retryAfter);
  if (isRecord(body) && typeof body.code === 'string') {
    return new ApiError({
      status,
      code: body.code,
      details: typeof body.details === 'string' && body.details !== '' ? body.details : `The server answered ${status} (${body.code}).`,
      fields: readFields(body.fields),
      requestId: typeof body.request_id === 'string' ? body.request_id : null,
      retryAfterSeconds,
    });
  }
  return new ApiError({ status, code: 'http_error', details: `The server answered ${status} without an error body. Try again.`, retryAfterSeconds });
}

/** The ApiError for a request that never got an answer. */
export function networkError(cause: unknown): ApiError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ApiError({ status: 0, code: 'network_error', details: `The server could not be reached (${reason}). Check that it is running and try again.` });
}

/** A `409 conflict`: the object is no longer in the state the page showed (changed in another tab, by another person or a script). */
export function isConflict(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'conflict';
}

/** A `404 not_found`: the object (a tenant, a key) does not exist, or not for this person. */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

/** Field messages that `details` does not already say: the server names each bad field there, and once is enough. */
export function fieldsNotInDetails(details: string, fields: readonly FieldError[]): FieldError[] {
  return fields.filter((f) => !details.includes(`${f.field}: ${f.message}`));
}

/** Any thrown value as text for the user: `details` for API errors. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.details;
  if (error instanceof Error) return error.message;
  return String(error);
}
