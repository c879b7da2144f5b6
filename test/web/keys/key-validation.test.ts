import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cidrError } from '../../../src/core/cidr.js';
import { SCOPE_PATTERN as SERVER_SCOPE_PATTERN } from '../../../src/core/scopes.js';
import { isIpOrCidr, isScope, nameProblem, rpmProblem, splitList } from '../../../web/src/keys/key-validation.js';

describe('isIpOrCidr', () => {
  const good = ['203.0.113.7', '10.0.0.0/8', '0.0.0.0/0', '255.255.255.255/32', '::1', '::', '2001:db8::/32', '2001:db8:0:0:0:0:0:1', '::ffff:192.0.2.1', '::ffff:192.0.2.0/120', '2001:db8::1/128', '1::'];
  const bad = ['', '300.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '10.0.0.0/33', '10.0.0.0/', '10.0.0.0/8/8', '2001:db8::/129', '2001:db8:::1', '1:2:3:4:5:6:7:8:9', 'example.com', '2001:db8::g', ':::', '1.2.3.4 ', 'localhost', 'fe80::1%eth0', '10.0.0.0/08', '2001:db8::/032'];

  it('accepts IPv4 and IPv6 addresses with an optional prefix that fits the family', () => {
    for (const value of good) assert.equal(isIpOrCidr(value), true, value);
  });

  it('refuses what is not an address or has a prefix out of range', () => {
    for (const value of bad) assert.equal(isIpOrCidr(value), false, value);
  });

  it('agrees with the server on every case above', () => {
    for (const value of [...good, ...bad]) assert.equal(isIpOrCidr(value), cidrError(value) === undefined, value);
  });
});

describe('isScope', () => {
  it('uses the same pattern as the server', () => {
    for (const scope of ['sites:read', 'order_items:bulk-write', 'Sites:read', 'sites', 'a:b:c', '', 'sites:-read']) {
      assert.equal(isScope(scope), SERVER_SCOPE_PATTERN.test(scope), scope);
    }
  });
});

describe('splitList', () => {
  it('splits on commas, spaces and new lines and drops blanks', () => {
    assert.deepEqual(splitList('10.0.0.0/8, 192.0.2.1\n\n 2001:db8::/32 ,'), ['10.0.0.0/8', '192.0.2.1', '2001:db8::/32']);
    assert.deepEqual(splitList('  \n '), []);
  });
});

describe('nameProblem and rpmProblem', () => {
  it('asks for a name of 1-100 characters', () => {
    assert.match(nameProblem('   ') ?? '', /name/);
    assert.match(nameProblem('x'.repeat(101)) ?? '', /100/);
    assert.equal(nameProblem('prod-order-bot'), null);
    assert.equal(nameProblem('\u{1f511}'.repeat(100)), null, 'characters as the server counts them: 100 emoji are 100');
    assert.match(nameProblem('\u{1f511}'.repeat(101)) ?? '', /100/);
  });

  it('keeps the rate limit a whole number within the plan', () => {
    assert.equal(rpmProblem('1000', 1000), null);
    assert.match(rpmProblem('1001', 1000) ?? '', /at most 1000/);
    assert.match(rpmProblem('0', 1000) ?? '', /at least 1/);
    assert.match(rpmProblem('12.5', 1000) ?? '', /whole number/);
    assert.equal(rpmProblem('50000', null), null);
  });
});
