import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { characterCount } from '../../src/core/names.js';

describe('characterCount', () => {
  it('counts code points, as Ajv maxLength and PostgreSQL char_length do, not UTF-16 units', () => {
    assert.equal(characterCount(''), 0);
    assert.equal(characterCount('prod-bot'), 8);
    assert.equal(characterCount('\u{1f511}'.repeat(100)), 100);
    assert.equal(characterCount('caf\u00e9'), 4);
    // Not grapheme clusters: a flag is two regional indicators, a decomposed é two code points.
    assert.equal(characterCount('\u{1f1eb}\u{1f1f7}'), 2);
    assert.equal(characterCount('cafe\u0301'), 5);
  });

  it('counts a lone surrogate as one character, as Ajv does', () => {
    assert.equal(characterCount('a\ud800b'), 3);
    assert.equal(characterCount('\udc00\ud800'), 2);
    assert.equal(characterCount('x\ud83d'), 2);
  });
});
