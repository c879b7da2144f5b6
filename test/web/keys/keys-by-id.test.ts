import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyIdsToRead, MAX_KEYS_BY_ID, readEach } from '../../../web/src/keys/keys-by-id.js';

describe('keys read by id', () => {
  it('reads only the keys the rows name that the list lacks and that were not read yet, each once', () => {
    const listed = new Map([['key_1', {}]]);
    const tried = new Set(['key_3']);
    assert.deepEqual(keyIdsToRead(['key_1', 'key_2', null, undefined, '', 'key_2', 'key_3', 'key_4'], listed, tried), ['key_2', 'key_4']);
    assert.deepEqual(keyIdsToRead([], listed, tried), []);
  });

  it('reads at most 50 keys for one page of rows', () => {
    const ids = Array.from({ length: 120 }, (_, i) => `key_${i}`);
    const toRead = keyIdsToRead(ids, new Map(), new Map());
    assert.equal(MAX_KEYS_BY_ID, 50);
    assert.deepEqual(toRead, ids.slice(0, 50));
  });

  it('reads at most 5 at a time, and names the keys whose read failed, to read them again later', async () => {
    let running = 0;
    let most = 0;
    const ids = Array.from({ length: 23 }, (_, i) => `key_${i}`);
    const { answers, failed } = await readEach(ids, async (id) => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 2));
      running--;
      if (id === 'key_7') throw new Error('connection refused');
      if (id === 'key_9') return null;
      return { id, name: `name of ${id}` };
    });
    assert.equal(most, 5);
    assert.equal(answers.size, 22);
    assert.equal(answers.has('key_7'), false);
    assert.deepEqual(failed, ['key_7']);
    assert.equal(answers.get('key_9'), null, 'a key not there is answered for good');
    assert.deepEqual(answers.get('key_22'), { id: 'key_22', name: 'name of key_22' });
  });

  it('reads nothing for no ids', async () => {
    assert.deepEqual(await readEach([], async () => assert.fail('no read')), { answers: new Map(), failed: [] });
  });
});
