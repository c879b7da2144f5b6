// Which machine requests become request-log rows (LATCHKEY_REQUEST_LOG). Usage counters, last use and metrics count every request.
export const REQUEST_LOG_MODES = ['all', 'errors', 'off'] as const;
export type RequestLogMode = (typeof REQUEST_LOG_MODES)[number];

export function isRequestLogMode(value: string): value is RequestLogMode {
  return (REQUEST_LOG_MODES as readonly string[]).includes(value);
}

/**
 * `all` logs every request; `errors` only those refused or answered with status 400 or above (the verify
 * API answers refusals with 200, so the code decides there); `off` none.
 * @example keepsRow('errors', { status: 429, code: 'rate_limited' }) // true
 */
export function keepsRow(mode: RequestLogMode, request: { status: number; code: string }): boolean {
  if (mode === 'all') return true;
  return mode === 'errors' && (request.status >= 400 || request.code !== 'valid');
}
