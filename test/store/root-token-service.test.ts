// Root tokens as the management API checks them: storage is asked once a second per token at most, a revoke made
// on this node holds at once, one made elsewhere within that second.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RootTokenService } from '../../src/manage/root-token-service.js';
import { RootTokenStore } from '../../src/store/root-token-store.js';
import { openFor, testDatabases } from '../support/databases.js';
import { ManualClock } from '../support/test-app.js';

const [sqlite] = testDatabases();

describe('RootTokenService', () => {
  it('answers a token it found lately without storage, and a revoke here at once, elsewhere within a second', async (t) => {
    const { db } = await openFor(t, sqlite!);
    const clock = new ManualClock();
    const store = new RootTokenStore(db);
    const here = new RootTokenService(store, clock, undefined);
    const elsewhere = new RootTokenService(store, clock, undefined);
    const a = await here.create('a', 'verify');
    const b = await here.create('b');

    assert.deepEqual(await here.authenticate(a.token), { tokenId: a.id, access: 'verify' });
    assert.deepEqual(await here.authenticate(b.token), { tokenId: b.id, access: 'full' });
    await elsewhere.revoke(a.id);
    assert.deepEqual(await here.authenticate(a.token), { tokenId: a.id, access: 'verify' }, 'found a moment ago: trusted for up to a second');
    clock.advance(1);
    assert.equal(await here.authenticate(a.token), undefined, 'a second later storage is asked again');

    await here.revoke(b.id);
    assert.equal(await here.authenticate(b.token), undefined, 'revoked on this node: refused at once');
    assert.equal(await here.authenticate('lkr_not-a-token'), undefined);
  });
});
