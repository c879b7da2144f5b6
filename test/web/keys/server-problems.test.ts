import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../web/src/api/api-error.js';
import type { Plan } from '../../../web/src/api/types.js';
import { newKeyDraft } from '../../../web/src/keys/key-draft.js';
import { draftFieldOf, placeServerProblems, problemText, withoutEdited } from '../../../web/src/keys/server-problems.js';

const standard: Plan = { name: 'standard', m2m_api: true, default_rpm: 100, max_rpm: 1000, max_live_keys: 10, never_expiring_keys: false, max_key_lifetime_days: null };
const draft = newKeyDraft(standard);

function invalidRequest(fields: Array<{ field: string; message: string }>): ApiError {
  const details = `The request is not valid (${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}).`;
  return new ApiError({ status: 400, code: 'invalid_request', details, fields });
}

describe('draftFieldOf', () => {
  it("finds the input of each settings field the server names, an item of a list on the list's input", () => {
    assert.equal(draftFieldOf('rate_limit.requests_per_minute', draft), 'rpm');
    assert.equal(draftFieldOf('rate_limit.burst', draft), 'burst');
    assert.equal(draftFieldOf('rate_limit', draft), 'rpm');
    assert.equal(draftFieldOf('customer_ids.0', draft), 'customerIds');
    assert.equal(draftFieldOf('allowed_ips', draft), 'allowedIps');
    assert.equal(draftFieldOf('scopes.3', draft), 'scopes');
    assert.equal(draftFieldOf('meta', draft), 'meta');
    assert.equal(draftFieldOf('expires_at', draft), 'expiry');
    assert.equal(draftFieldOf('expires_at', { ...draft, expiry: 'custom' }), 'customDate', 'a custom expiry is its date');
  });

  it('finds none for fields the form has no input for', () => {
    assert.equal(draftFieldOf('environment', draft), null);
    assert.equal(draftFieldOf('body', draft), null);
    assert.equal(draftFieldOf('constructor', draft), null);
  });
});

describe('placeServerProblems', () => {
  it('puts each named field on its input, as a sentence, and leaves the form no error', () => {
    const placed = placeServerProblems(
      invalidRequest([
        { field: 'meta', message: 'must be at most 4096 bytes as JSON' },
        { field: 'customer_ids.1', message: 'must NOT have more than 100 characters' },
      ]),
      draft,
    );
    assert.deepEqual(placed.problems, {
      meta: 'Must be at most 4096 bytes as JSON.',
      customerIds: 'Entry 2 must have at most 100 characters.',
    });
    assert.equal(placed.formError, null);
  });

  it('joins two messages on one input', () => {
    const placed = placeServerProblems(
      invalidRequest([
        { field: 'allowed_ips', message: 'must have at most 100 entries' },
        { field: 'allowed_ips', message: '"10.0.0.1/40" has a prefix out of range' },
      ]),
      draft,
    );
    assert.equal(placed.problems.allowedIps, 'Must have at most 100 entries. "10.0.0.1/40" has a prefix out of range.');
  });

  it('keeps the whole error as the form\'s when a field has no input', () => {
    const error = invalidRequest([
      { field: 'rate_limit.burst', message: 'must be 1-1000 on the standard plan' },
      { field: 'environment', message: 'must be one of: production, staging, development' },
    ]);
    const placed = placeServerProblems(error, draft);
    assert.deepEqual(placed.problems, { burst: 'Must be 1-1000 on the standard plan.' });
    assert.equal(placed.formError, error);
  });

  it('leaves other errors to the form', () => {
    const conflict = new ApiError({ status: 409, code: 'conflict', details: 'The key is revoked.' });
    assert.deepEqual(placeServerProblems(conflict, draft), { problems: {}, formError: conflict });
    const network = new Error('offline');
    assert.deepEqual(placeServerProblems(network, draft), { problems: {}, formError: network });
  });
});

describe('withoutEdited', () => {
  it("drops the server's problems of the fields just edited", () => {
    const problems = { meta: 'Must be at most 4096 bytes as JSON.', rpm: 'Must be 1-1000 on the standard plan.' };
    assert.deepEqual(withoutEdited(problems, { meta: '{}' }), { rpm: 'Must be 1-1000 on the standard plan.' });
    assert.deepEqual(withoutEdited(problems, { expiry: '30d', customDate: '' }), problems);
  });
});

describe('problemText', () => {
  it("says the validator's size limits in plain words", () => {
    assert.equal(problemText('allowed_ips', 'must NOT have more than 100 items'), 'Must have at most 100 entries.');
    assert.equal(problemText('customer_ids.0', 'must NOT have more than 100 characters'), 'Entry 1 must have at most 100 characters.');
    assert.equal(problemText('customer_ids.2', 'must NOT have fewer than 1 characters'), 'Entry 3 must have at least 1 character.');
    assert.equal(problemText('meta', 'must be at most 4096 bytes as JSON'), 'Must be at most 4096 bytes as JSON.');
  });
});
