// The JSON body parser: UTF-8 text only, no NUL, no lone surrogates, no prototype keys; each refusal says which.
import { isUtf8 } from 'node:buffer';
import type { FastifyRequest } from 'fastify';
import { invalidRequest, LatchkeyError } from '../core/errors.js';

type Done = (error: Error | null, value?: unknown) => void;

/** Fastify's own JSON parser (`getDefaultJsonParser('error', 'error')`), which refuses prototype keys. */
export type JsonTextParser = (request: FastifyRequest, text: string, done: Done) => void;

/** A JSON string escape of a UTF-16 surrogate (`\ud800`-`\udfff`): the only way a lone one gets into a body. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
/** With the `u` flag a paired surrogate reads as one code point, so this matches lone ones only. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The body parser for `application/json`, given Fastify's. Every check is one pass over the bytes or the text;
 * the walk that names the field holding a lone surrogate runs only when the text has a surrogate escape at all.
 * @example app.addContentTypeParser('application/json', { parseAs: 'buffer' }, jsonBodyParser(app.getDefaultJsonParser('error', 'error')))
 */
export function jsonBodyParser(parseJson: JsonTextParser) {
  return function parseJsonBody(request: FastifyRequest, bytes: Buffer, done: Done): void {
    // A compressed body would be read as if it were the JSON text itself: refused, saying why.
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
      return done(new LatchkeyError('unsupported_media_type', 'A compressed body (Content-Encoding) is not accepted; send the JSON uncompressed.'));
    }
    // An empty body sent as JSON (curl -X POST -H 'Content-Type: application/json') counts as no body.
    if (bytes.length === 0) return done(null, undefined);
    // Decoding would turn each bad byte into U+FFFD, and the body would be stored as something nobody sent.
    if (!isUtf8(bytes)) return done(invalidRequest([{ field: 'body', message: 'is not valid UTF-8 text' }]));
    const text = bytes.toString('utf8');
    // PostgreSQL refuses NUL in text, so a string holding one would fail on storage; JSON can only escape it.
    if (text.includes('\\u0000')) return done(invalidRequest([{ field: 'body', message: 'must not contain the NUL character (\\u0000)' }]));
    // Before parsing: a megabyte of `[[[[…` takes JSON.parse ~100 ms of the one thread every request shares, while no
    // body of this API nests deeper than a few levels.
    if (nestedDeeperThan(text, MAX_DEPTH)) return done(invalidRequest([{ field: 'body', message: `is nested deeper than ${MAX_DEPTH} levels of arrays and objects` }]));
    parseJson(request, text, (error, value) => {
      const refusal = error ? whyRefused(text) : SURROGATE_ESCAPE.test(text) ? loneSurrogateRefusal(value) : undefined;
      return refusal ? done(refusal) : done(null, value);
    });
  };
}

/** Arrays and objects inside each other: far more than any body of the API needs (a key's `meta` included). */
const MAX_DEPTH = 64;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;

/** Whether `text`'s arrays and objects nest deeper than `max`, brackets inside strings aside: one pass, no parse. */
function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) depth--;
  }
  return false;
}

/** Fastify's parser gives one error for both; a body that plain JSON.parse reads was refused for its prototype keys. */
function whyRefused(text: string): LatchkeyError {
  try {
    JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return invalidRequest([{ field: 'body', message: 'is not valid JSON' }]);
  }
  return invalidRequest([{ field: 'body', message: 'must not hold a "__proto__" key, or a "constructor" key holding "prototype" (refused for safety: prototype poisoning)' }]);
}

/**
 * The field (`meta.tags.1`) holding a string with a lone surrogate, which no UTF-8 storage or client can keep;
 * the object's own field when the lone surrogate is in a key. Iterative: a deeply nested body must not overflow the stack.
 */
function loneSurrogateRefusal(body: unknown): LatchkeyError | undefined {
  const pending: [unknown, string][] = [[body, '']];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [value, path] = next;
    let found = typeof value === 'string' && LONE_SURROGATE.test(value);
    if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        if (LONE_SURROGATE.test(key)) found = true;
        else pending.push([child, path ? `${path}.${key}` : key]);
      }
    }
    if (found) return invalidRequest([{ field: shortField(path) || 'body', message: 'holds a lone UTF-16 surrogate escape (such as \\ud800 without its pair), which is not a character' }]);
  }
  return undefined;
}

/** At most 200 characters of a field path: a deeply nested body must not buy an answer many times its size. */
function shortField(path: string): string {
  return path.length <= 200 ? path : `${path.slice(0, 199)}…`;
}
