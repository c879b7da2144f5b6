// Requests Node's HTTP parser refuses (bad framing, bad header bytes, headers too large, too slow): Fastify never
// sees them, so they are answered here, on the socket, in the contract's shape.
import { type IncomingMessage, maxHeaderSize, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { type FieldError, invalidRequest } from '../core/errors.js';
import { errorBody } from './error-body.js';

/** Which part of the request each llhttp error is about, and what to fix; anything else is `request`. */
const PARSER_ERRORS: Record<string, FieldError> = {
  // 400, not Node's 431: the contract gives every code one status, and has no code of its own for this.
  HPE_HEADER_OVERFLOW: { field: 'headers', message: `are over ${maxHeaderSize} bytes in all; send fewer or shorter headers` },
  HPE_INVALID_HEADER_TOKEN: { field: 'headers', message: 'hold a character HTTP does not allow (such as a space in a header name, or a control character in a value)' },
  HPE_INVALID_CONTENT_LENGTH: { field: 'headers', message: 'have a Content-Length that is not one whole number' },
  HPE_UNEXPECTED_CONTENT_LENGTH: { field: 'headers', message: 'carry Content-Length more than once; send it once' },
  HPE_INVALID_TRANSFER_ENCODING: { field: 'headers', message: 'have a Transfer-Encoding that cannot frame the body (it must end in chunked, with no Content-Length)' },
  HPE_INVALID_CHUNK_SIZE: { field: 'body', message: 'is not valid chunked encoding (each chunk starts with its size in hex)' },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { field: 'body', message: 'has chunk extensions that are too large' },
  HPE_INVALID_EOF_STATE: { field: 'body', message: 'ended before the length its headers announced' },
  ERR_HTTP_REQUEST_TIMEOUT: { field: 'request', message: 'did not arrive whole in time; send it again without pausing' },
};
/** The longest a connection that sent bad bytes stays open for the answer to the whole request before them. */
const IN_FLIGHT_ANSWER_MS = 60_000;
const NOT_HTTP: FieldError = { field: 'request', message: 'is not valid HTTP/1.1' };
/**
 * Both framing headers: llhttp reports it as a bad Content-Length or a bad Transfer-Encoding, whichever came second,
 * and only its `reason` says why.
 */
const BOTH_FRAMINGS: FieldError = { field: 'headers', message: 'must not carry both Content-Length and Transfer-Encoding' };

/** What to tell the client about a request Node's parser refused. */
function parserRefusal(error: Error & { code?: string; reason?: unknown }): FieldError {
  if (typeof error.reason === 'string' && error.reason.includes("can't be present with")) return BOTH_FRAMINGS;
  return (error.code !== undefined ? PARSER_ERRORS[error.code] : undefined) ?? NOT_HTTP;
}

/**
 * Fastify's `clientErrorHandler`. The answer is always `400 invalid_request` with a fresh request id and
 * `Connection: close` (the stream cannot be trusted past the error), and echoes nothing of the request: its raw
 * bytes may hold a key.
 */
export function answerClientError(nextRequestId: () => string, logger: FastifyBaseLogger) {
  return function answerClientError(error: Error & { code?: string; reason?: unknown }, socket: Socket): void {
    // The client is gone: nothing to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const requestId = nextRequestId();
    // A 400 answers the failed request only when no answer is under way, or the one under way is its own (its body
    // broke off while being read). With pipelining the answer under way may be an earlier request's, read whole (a
    // revoke, say): a 400 written now would read as that request's answer, so that answer is let out instead.
    const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    const answersTheFailedRequest = !inFlight || (!inFlight.headersSent && !inFlight.req.complete);
    // Debug only: scanners send such requests all day. The error's `rawPacket` is left out, like any request bytes.
    logger.debug({ requestId, code: error.code }, 'refused a request that is not valid HTTP');
    if (!answersTheFailedRequest) {
      // A whole request came before the bad bytes and is being answered: its action is done or under way (a key
      // created, whose secret only this answer carries), so the answer goes out first; then the connection ends.
      inFlight.shouldKeepAlive = false;
      const close = () => socket.destroy();
      inFlight.once('finish', close).once('close', close);
      setTimeout(close, IN_FLIGHT_ANSWER_MS).unref();
      return;
    }
    if (socket.writable) writeRefusal(socket, requestId, parserRefusal(error));
    socket.destroy();
  };
}

/**
 * For the server's `connect` event: a CONNECT request (a proxy tunnel) never reaches Fastify, and without a listener
 * Node drops the connection unanswered.
 */
export function refuseConnect(nextRequestId: () => string) {
  return function refuseConnect(_request: unknown, socket: Socket): void {
    if (socket.writable) writeRefusal(socket, nextRequestId(), { field: 'method', message: 'CONNECT is not served here: Latchkey is not a forward proxy' });
    socket.destroy();
  };
}

/**
 * For the server's `checkExpectation` event: an `Expect` other than `100-continue`, which Node would answer with a bare
 * `417` (no body, no request id) before any route or hook runs.
 */
export function refuseExpectation(nextRequestId: () => string) {
  return function refuseExpectation(_request: IncomingMessage, response: ServerResponse): void {
    const requestId = nextRequestId();
    const body = JSON.stringify(errorBody({ id: requestId }, invalidRequest([{ field: 'expect', message: 'must be 100-continue, the only expectation served; or leave the header out' }])));
    response.writeHead(400, {
      'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'x-request-id': requestId, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', connection: 'close',
    }).end(body);
  };
}

/** `400 invalid_request` in the contract's shape, straight on the socket, then the connection ends. */
function writeRefusal(socket: Socket, requestId: string, field: FieldError): void {
  const body = JSON.stringify(errorBody({ id: requestId }, invalidRequest([field])));
  socket.write(
    `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-Id: ${requestId}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
  );
}
