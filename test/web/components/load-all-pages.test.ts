import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadAllPages } from '../../../web/src/components/load-all-pages.js';

describe('loadAllPages', () => {
  it('follows next_cursor to the end of the list', async () => {
    const asked: Array<string | null> = [];
    const items = await loadAllPages(async (cursor) => {
      asked.push(cursor);
      const at = cursor === null ? 0 : Number(cursor);
      return { data: [at, at + 1], next_cursor: at + 2 < 5 ? String(at + 2) : null };
    });
    assert.deepEqual(items, [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(asked, [null, '2', '4']);
  });

  it('stops on a cursor it has seen, rather than loop', async () => {
    const items = await loadAllPages(async () => ({ data: [1], next_cursor: 'same' }));
    assert.deepEqual(items, [1, 1]);
  });
});
