import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENVIRONMENTS, isEnvironment } from '../../src/core/environments.js';

describe('environments', () => {
  it('are production, staging and development, exactly', () => {
    assert.deepEqual([...ENVIRONMENTS], ['production', 'staging', 'development']);
    for (const value of ENVIRONMENTS) assert.equal(isEnvironment(value), true);
    for (const value of ['Production', 'prod', 'live', 'test', 'dev', '', 'production ']) assert.equal(isEnvironment(value), false, value);
  });
});
