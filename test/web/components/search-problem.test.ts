import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateKey } from '../../../src/core/key-format.js';
import { generateRootToken } from '../../../src/core/root-token-format.js';
import { searchProblem } from '../../../web/src/components/search-problem.js';

describe('searchProblem', () => {
  it('refuses a pasted key or root token, alone or among other text, and a search longer than 200 characters', () => {
    const key = generateKey('production');
    const token = generateRootToken();
    assert.match(searchProblem(key) ?? '', /key’s secret/);
    assert.match(searchProblem(`prod ${key} x`) ?? '', /key’s secret/);
    assert.match(searchProblem(token) ?? '', /root token/, 'the shape generated tokens have');
    assert.match(searchProblem(`Bearer ${token}`) ?? '', /root token/);
    assert.equal(searchProblem('lkr_short'), null, 'a name that merely starts like one');
    assert.equal(searchProblem(' acme '), null);
    assert.equal(searchProblem('\u{1f511}'.repeat(200)), null, 'counted in characters');
    assert.match(searchProblem('a'.repeat(201)) ?? '', /At most 200 characters/);
  });
});
