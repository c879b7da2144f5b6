import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rememberCodeSignIn, type SignInStore, signedInWithCodeRecently } from '../../../web/src/auth/code-sign-ins.js';

/** A sessionStorage stand-in that shows what was written. */
function memoryStore(): SignInStore & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return { values, getItem: (key) => values.get(key) ?? null, setItem: (key, value) => void values.set(key, value) };
}

describe('code sign-ins of this tab', () => {
  it('knows that the address signed in with a code within the cooldown, spelled in any case', () => {
    const store = memoryStore();
    rememberCodeSignIn('Olivia@Acme.example ', store, 1_000);
    assert.equal(signedInWithCodeRecently('olivia@acme.example', store, 1_000 + 4_000), true);
    assert.equal(signedInWithCodeRecently('victor@acme.example', store, 1_000 + 4_000), false, 'another address');
    assert.equal(signedInWithCodeRecently('olivia@acme.example', store, 1_000 + 60_000), false, 'a cooldown now is not from that code');
  });

  it('knows nothing without a sign-in, or with storage it cannot read', () => {
    assert.equal(signedInWithCodeRecently('olivia@acme.example', memoryStore(), 0), false);
    assert.equal(signedInWithCodeRecently('olivia@acme.example', null, 0), false);
    const broken = memoryStore();
    broken.values.set('latchkey.codeSignIn', '{not json');
    assert.equal(signedInWithCodeRecently('olivia@acme.example', broken, 0), false);
  });

  it('keeps the address and the time, never a code', () => {
    const store = memoryStore();
    rememberCodeSignIn('olivia@acme.example', store, 5);
    assert.deepEqual([...store.values.values()].map((v) => JSON.parse(v) as unknown), [{ email: 'olivia@acme.example', at: 5 }]);
  });
});
