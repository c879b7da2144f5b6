// Maps every error (ours, Fastify's, unknown) and unknown routes to the contract's body, in one place.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type FieldError, invalidRequest, LatchkeyError } from '../../core/errors.js';
import { LimiterUnavailableError } from '../../limits/rate-limiter.js';
import { isUniqueViolation } from '../../store/database.js';
import { hasKeyInQuery } from '../../verify/credential.js';
import { sendError } from '../error-body.js';

interface ValidationIssue {
  keyword?: string;
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
  /** The schema of the value (Ajv's `verbose`): a size limit is said with both of its bounds. */
  parentSchema?: Record<string, unknown>;
}

interface FieldProblems {
  allowed: unknown[];
  messages: string[];
  /** "must be string" and the like: said only when no list of allowed values says it better. */
  typeMessages: string[];
  /** The value had to match one of several schemas: the messages are alternatives. */
  alternatives: boolean;
}

/**
 * One entry per bad field. Ajv reports a value that matches none of a union once per branch
 * (`must be equal to constant` for each, then `must match a schema in anyOf`); those become one
 * sentence: `must be one of: production, staging, development`.
 */
function fieldsOf(issues: ValidationIssue[], context: string | undefined): FieldError[] {
  const byField = new Map<string, FieldProblems>();
  for (const issue of issues) {
    const path = (issue.instancePath ?? '').split('/').filter(Boolean).join('.');
    const extra = issue.params?.additionalProperty ?? issue.params?.missingProperty;
    const field = [path, typeof extra === 'string' ? extra : ''].filter(Boolean).join('.') || context || 'body';
    let problems = byField.get(field);
    if (!problems) byField.set(field, (problems = { allowed: [], messages: [], typeMessages: [], alternatives: false }));
    if (issue.keyword === 'const') problems.allowed.push(issue.params?.allowedValue);
    else if (issue.keyword === 'enum' && Array.isArray(issue.params?.allowedValues)) problems.allowed.push(...issue.params.allowedValues);
    else if (issue.keyword === 'anyOf' || issue.keyword === 'oneOf') problems.alternatives = true;
    else {
      const message = issue.params?.additionalProperty ? 'is not a known field' : issue.keyword === 'required' ? 'is required' : plainMessage(issue);
      const list = issue.keyword === 'type' ? problems.typeMessages : problems.messages;
      if (!list.includes(message)) list.push(message);
    }
  }
  return [...byField].map(([field, { allowed, messages, typeMessages, alternatives }]) => {
    // A value outside a list of strings fails each branch's type too: "must be one of: …" says all of it.
    const all = allowed.length > 0 ? [`must be one of: ${allowed.map(String).join(', ')}`, ...messages] : [...typeMessages, ...messages];
    return { field, message: all.length === 0 ? 'is not valid' : all.join(alternatives ? ' or ' : '; ') };
  });
}

/**
 * Ajv's message in the words the services use: a size limit as `must be 1-200 characters` when the schema has both
 * bounds (as the services say it), `must have at most 100 entries` when it has one; other messages as Ajv gives them.
 */
function plainMessage(issue: ValidationIssue): string {
  const schema = issue.parentSchema ?? {};
  const sized = (min: string, max: string, unit: string, oneUnit: string) => {
    const low = schema[min];
    const high = schema[max];
    if (typeof low === 'number' && typeof high === 'number') return `must be ${low}-${high} ${unit}`;
    const limit = issue.params?.limit;
    if (issue.keyword === min && limit === 1 && unit === 'characters') return 'must not be empty';
    return `must have ${issue.keyword === min ? 'at least' : 'at most'} ${String(limit)} ${limit === 1 ? oneUnit : unit}`;
  };
  switch (issue.keyword) {
    case 'minLength':
    case 'maxLength':
      return sized('minLength', 'maxLength', 'characters', 'character');
    case 'minItems':
    case 'maxItems':
      return sized('minItems', 'maxItems', 'entries', 'entry');
    default:
      return issue.message ?? 'is not valid';
  }
}

/** Turns any thrown value into a LatchkeyError; unknown errors become `503 unavailable`. */
export function toLatchkeyError(error: unknown): LatchkeyError {
  if (error instanceof LatchkeyError) return error;
  const e = error as Partial<FastifyError> & { validation?: ValidationIssue[]; validationContext?: string };
  if (Array.isArray(e.validation)) return invalidRequest(fieldsOf(e.validation, e.validationContext));
  if (error instanceof LimiterUnavailableError) return new LatchkeyError('unavailable', 'The rate limiter (Redis) cannot be reached; retry shortly.');
  // The services check before they write; this is the rare race that slips between two requests.
  if (isUniqueViolation(error)) return new LatchkeyError('conflict', 'Another request made the same change at the same moment; read the current state and retry.');
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new LatchkeyError('payload_too_large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new LatchkeyError('unsupported_media_type');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return invalidRequest([{ field: 'body', message: 'is empty; send a JSON object or no Content-Type' }]);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return invalidRequest([{ field: 'body', message: 'is not valid JSON' }]);
    default:
      break;
  }
  if (e.statusCode === 413) return new LatchkeyError('payload_too_large');
  if (e.statusCode === 415) return new LatchkeyError('unsupported_media_type');
  if (e.statusCode === 404) return new LatchkeyError('not_found');
  if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
    return invalidRequest([{ field: 'request', message: e.message ?? 'is not valid' }]);
  }
  return new LatchkeyError('unavailable', 'An internal error stopped the request; retry shortly, and report the request id if it persists.');
}

/** Lines of one kind of failure in this window after the first are counted, not written: an outage under load must not flood the log. */
const FAILURE_LOG_WINDOW_MS = 10_000;

export function registerErrorHandling(app: FastifyInstance): void {
  const failureLog = new FailureLogThrottle(FAILURE_LOG_WINDOW_MS);
  app.setErrorHandler((error, request, reply) => {
    const mapped = toLatchkeyError(error);
    // The request id is given: machine routes log through the root logger (no child per request).
    if (error instanceof LimiterUnavailableError) request.log.warn({ code: mapped.code, requestId: request.id }, 'request refused: the rate limiter (Redis) cannot be reached');
    else if (mapped.status >= 500) {
      const notLogged = failureLog.admit(error instanceof Error ? `${error.name}: ${error.message}` : String(error), Date.now());
      if (notLogged !== undefined) {
        request.log.error({ err: error, code: mapped.code, requestId: request.id, ...(notLogged > 0 ? { same_failures_not_logged: notLogged } : {}) }, 'request failed');
      }
    }
    return sendError(request, reply, mapped);
  });
  // The path is not echoed: it may hold a secret someone pasted into a URL.
  app.setNotFoundHandler((request, reply) => {
    // No route, so no scope's headers: an error answer is the caller's alone all the same.
    reply.header('cache-control', 'no-store').header('x-content-type-options', 'nosniff');
    // A key in the URL is refused wherever it is sent, as the M2M API's first check does: a wrong path must not
    // hide that the key is now in logs and browser histories along the way.
    if (hasKeyInQuery(request.url)) return sendError(request, reply, new LatchkeyError('api_key_in_query'));
    return sendError(request, reply, new LatchkeyError('not_found', `No such route for ${request.method}; see /openapi.json for the API.`));
  });
}

/**
 * Fastify's `frameworkErrors`: what its router refuses before any route or hook runs (a path with a malformed
 * percent-escape, a path segment over `maxParamLength`). Left to Fastify, the answer would echo the whole URL,
 * query string included, where a key may have been pasted, and carry no request id.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-request-id', request.id);
  sendError(request, reply, frameworkErrorOf(error, request.url));
}

function frameworkErrorOf(error: FastifyError, url: string): LatchkeyError {
  // The M2M order of checks starts with a key in the query string, and so does this answer.
  if (hasKeyInQuery(url)) return new LatchkeyError('api_key_in_query');
  if (error.code === 'FST_ERR_BAD_URL') return invalidRequest([{ field: 'path', message: badPathMessage(url) }]);
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return new LatchkeyError('not_found', 'No such resource: a path segment is longer than any id.');
  return toLatchkeyError(error);
}

/**
 * Admits one log line per kind of failure (its message) per window. `admit` answers how many of that kind
 * were held back since its last line, or `undefined` when this one is held back too.
 */
export class FailureLogThrottle {
  private readonly kinds = new Map<string, { until: number; held: number }>();

  constructor(private readonly windowMs: number) {}

  admit(kind: string, now: number): number | undefined {
    const seen = this.kinds.get(kind);
    if (seen && now < seen.until) {
      seen.held++;
      return undefined;
    }
    // Messages may carry ids, so kinds are forgotten wholesale rather than kept without bound.
    if (this.kinds.size >= 100) this.kinds.clear();
    this.kinds.set(kind, { until: now + this.windowMs, held: 0 });
    return seen?.held ?? 0;
  }
}

/**
 * Why a path cannot be decoded: a `%` without two hex digits after it, or escapes whose bytes are not UTF-8 text
 * (`%C3%28`). Said without the path, which may hold a key.
 */
function badPathMessage(url: string): string {
  const path = url.split('?', 1)[0]!;
  if (/%(?![0-9A-Fa-f]{2})/.test(path)) return 'has a malformed percent-escape (% must be followed by two hex digits)';
  return 'has percent-escapes whose bytes are not UTF-8 text';
}
