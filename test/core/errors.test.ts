import assert from 'node:assert/strict';
import { STATUS_CODES } from 'node:http';
import { describe, it } from 'node:test';
import { type ErrorCode, errorCatalog, invalidRequest, isErrorCode, LatchkeyError } from '../../src/core/errors.js';

// CONTRACT.md section 3, copied by hand: the catalog must give each code exactly this status.
const CONTRACT_STATUSES: Record<string, number> = {
  api_key_in_query: 400,
  invalid_request: 400,
  missing_api_key: 401,
  malformed_api_key: 401,
  invalid_api_key: 401,
  expired_api_key: 401,
  revoked_api_key: 401,
  inactive_api_key: 401,
  unauthorized: 401,
  wrong_environment: 401,
  tenant_not_active: 403,
  plan_not_permitted: 403,
  insufficient_scope: 403,
  ip_not_allowed: 403,
  forbidden: 403,
  step_up_required: 403,
  otp_invalid: 401,
  otp_expired: 401,
  otp_locked: 401,
  not_found: 404,
  key_limit_reached: 409,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
};

describe('errorCatalog', () => {
  it("holds exactly the contract's codes, each with the contract's status", () => {
    const catalog = Object.fromEntries(Object.entries(errorCatalog).map(([code, entry]) => [code, entry.status]));
    assert.deepEqual(catalog, CONTRACT_STATUSES);
  });

  it('gives every code a one-line sentence and a status with a reason phrase', () => {
    for (const [code, entry] of Object.entries(errorCatalog)) {
      assert.ok(STATUS_CODES[entry.status], `${code}: ${entry.status} has a reason phrase`);
      assert.match(entry.details, /^[A-Z].*\.$/, code);
      assert.doesNotMatch(entry.details, /\n/, code);
    }
  });
});

describe('isErrorCode', () => {
  it('knows the catalog codes and nothing else, not even Object.prototype names', () => {
    assert.equal(isErrorCode('not_found'), true);
    assert.equal(isErrorCode('teapot'), false);
    assert.equal(isErrorCode('toString'), false);
    assert.equal(isErrorCode('__proto__'), false);
  });
});

describe('LatchkeyError', () => {
  it("takes the catalog's status and message by default", () => {
    for (const code of Object.keys(errorCatalog) as ErrorCode[]) {
      const error = new LatchkeyError(code);
      assert.equal(error.code, code);
      assert.equal(error.status, CONTRACT_STATUSES[code]);
      assert.equal(error.details, errorCatalog[code].details);
      assert.equal(error.message, errorCatalog[code].details);
      assert.equal(error.fields, undefined);
      assert.equal(error.headers, undefined);
    }
  });

  it('is an Error named LatchkeyError, with its own details, fields and headers', () => {
    const error = new LatchkeyError('rate_limited', 'Slow down.', { headers: { 'Retry-After': '3' } });
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'LatchkeyError');
    assert.equal(error.status, 429);
    assert.equal(error.details, 'Slow down.');
    assert.equal(error.message, 'Slow down.');
    assert.deepEqual(error.headers, { 'Retry-After': '3' });
    assert.ok(error.stack?.includes('LatchkeyError'));
  });
});

describe('invalidRequest', () => {
  it('is a 400 invalid_request naming every field and what is wrong with it', () => {
    const fields = [
      { field: 'name', message: 'must be 1-100 characters' },
      { field: 'rate_limit.requests_per_minute', message: 'must be 1-1000 on the standard plan' },
    ];
    const error = invalidRequest(fields);
    assert.ok(error instanceof LatchkeyError);
    assert.equal(error.code, 'invalid_request');
    assert.equal(error.status, 400);
    assert.deepEqual(error.fields, fields);
    assert.equal(error.details, 'The request is not valid (name: must be 1-100 characters; rate_limit.requests_per_minute: must be 1-1000 on the standard plan).');
  });
});
