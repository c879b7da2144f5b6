import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FailureLogThrottle } from '../../src/http/plugins/error-handler.js';

describe('FailureLogThrottle', () => {
  it('admits one line per kind per window, and the next one says how many were held back', () => {
    const throttle = new FailureLogThrottle(10_000);
    assert.equal(throttle.admit('storage gone', 0), 0);
    for (const now of [1, 5_000, 9_999]) assert.equal(throttle.admit('storage gone', now), undefined);
    assert.equal(throttle.admit('another failure', 2), 0, 'kinds are counted apart');
    assert.equal(throttle.admit('storage gone', 10_000), 3);
    assert.equal(throttle.admit('storage gone', 10_001), undefined);
  });
});
