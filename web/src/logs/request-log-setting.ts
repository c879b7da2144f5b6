// What the request log holds under the server's LATCHKEY_REQUEST_LOG, said wherever the dashboard shows it.
import type { Deployment } from '../api/types.js';

type Setting = Deployment['request_log'];

/** The Request logs page's subtitle. */
export const LOG_HOLDS: Record<Setting, string> = {
  all: "Every call made with this tenant's keys, newest first.",
  errors:
    "Calls made with this tenant's keys that were refused or answered with an error, newest first. This server does not log successful calls (LATCHKEY_REQUEST_LOG=errors); each key's usage counts them.",
  off: "This server keeps no request log (LATCHKEY_REQUEST_LOG=off); each key's usage still counts every call.",
};

/** A key's Recent requests panel when the log holds none of its requests. */
export const NO_KEY_REQUESTS: Record<Setting, string> = {
  all: 'No requests with this key yet.',
  errors: 'No refused requests with this key yet. This server logs only errors (LATCHKEY_REQUEST_LOG=errors); the usage above counts every call.',
  off: 'This server keeps no request log (LATCHKEY_REQUEST_LOG=off); the usage above counts every call.',
};
