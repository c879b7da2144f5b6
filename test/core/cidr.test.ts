import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cidrError, IpAllowList, normalizeIp } from '../../src/core/cidr.js';

describe('cidrError', () => {
  it('accepts IPv4 and IPv6 addresses and ranges', () => {
    for (const value of ['1.2.3.4', '10.0.0.0/8', '0.0.0.0/0', '192.168.1.7/32', '::1', '2001:db8::/32', '::/0', '2001:db8::1/128', '::ffff:1.2.3.4', '::ffff:10.0.0.0/104']) {
      assert.equal(cidrError(value), undefined, value);
    }
  });

  it('names the value and the problem for bad input', () => {
    const cases: [string, RegExp][] = [
      ['10.0.0.0/33', /"10\.0\.0\.0\/33".*0-32/],
      ['::1/129', /"::1\/129".*0-128/],
      ['abc', /"abc" is not an IP address/],
      ['1.2.3', /"1\.2\.3" is not an IP address/],
      ['', /"" is not an IP address/],
      ['256.1.1.1', /not an IP address/],
      ['10.0.0.0/8/8', /not an IP address/],
      ['10.0.0.0/', /prefix length/],
      ['10.0.0.0/-1', /prefix length/],
      ['10.0.0.0/8a', /prefix length/],
      ['10.0.0.0/0008', /prefix length/],
      ['10.0.0.0/08', /prefix length.*without leading zeros/],
      ['2001:db8::/032', /prefix length/],
      ['fe80::1%eth0', /"fe80::1%eth0" names a network interface \(%eth0\)/],
      ['fe80::%1/64', /names a network interface/],
      [' 10.0.0.1', /not an IP address/],
      ['example.com', /not an IP address/],
    ];
    for (const [value, message] of cases) {
      const error = cidrError(value);
      assert.ok(error, `"${value}" must be refused`);
      assert.match(error, message, value);
      assert.doesNotMatch(error, /\n/);
    }
  });
});

describe('normalizeIp', () => {
  it('turns IPv4-mapped IPv6 into IPv4 and leaves the rest', () => {
    assert.equal(normalizeIp('::ffff:1.2.3.4'), '1.2.3.4');
    assert.equal(normalizeIp('::FFFF:1.2.3.4'), '1.2.3.4');
    assert.equal(normalizeIp('1.2.3.4'), '1.2.3.4');
    assert.equal(normalizeIp('2001:db8::1'), '2001:db8::1');
  });
});

describe('IpAllowList', () => {
  it('allows any address when empty, even none', () => {
    const list = new IpAllowList([]);
    assert.equal(list.empty, true);
    assert.equal(list.allows('203.0.113.9'), true);
    assert.equal(list.allows(undefined), true);
  });

  it('matches single IPv4 addresses and ranges', () => {
    const list = new IpAllowList(['10.0.0.0/8', '192.168.1.7']);
    assert.equal(list.empty, false);
    assert.equal(list.allows('10.0.0.1'), true);
    assert.equal(list.allows('10.255.255.255'), true);
    assert.equal(list.allows('11.0.0.0'), false);
    assert.equal(list.allows('192.168.1.7'), true);
    assert.equal(list.allows('192.168.1.8'), false);
  });

  it('matches IPv6 addresses and ranges, in any spelling', () => {
    const list = new IpAllowList(['2001:db8::/32', '::1']);
    assert.equal(list.allows('2001:db8::1'), true);
    assert.equal(list.allows('2001:0db8:ffff::abcd'), true);
    assert.equal(list.allows('2001:db9::1'), false);
    assert.equal(list.allows('::1'), true);
    assert.equal(list.allows('0:0:0:0:0:0:0:1'), true);
    assert.equal(list.allows('::2'), false);
    assert.equal(list.allows('10.0.0.1'), false, 'an IPv4 client is outside IPv6 rules');
  });

  it('matches IPv4-mapped clients (dual-stack sockets) against IPv4 rules', () => {
    const list = new IpAllowList(['10.0.0.0/8', '203.0.113.5']);
    assert.equal(list.allows('::ffff:10.1.2.3'), true);
    assert.equal(list.allows('::ffff:203.0.113.5'), true);
    assert.equal(list.allows('::ffff:11.1.2.3'), false);
  });

  it('reads IPv4-mapped rules as IPv4 rules', () => {
    const list = new IpAllowList(['::ffff:10.0.0.0/104', '::ffff:203.0.113.5']);
    assert.equal(list.allows('10.9.9.9'), true);
    assert.equal(list.allows('11.0.0.1'), false);
    assert.equal(list.allows('203.0.113.5'), true);
    assert.equal(list.allows('::ffff:203.0.113.5'), true);
  });

  it('takes a mapped rule with a prefix under /96 as the IPv6 range it is', () => {
    // ::ffff:0.0.0.0/80 is ::/80: the first 80 bits zero, so ::1 and every mapped IPv4 address are in it.
    const list = new IpAllowList(['::ffff:0.0.0.0/80']);
    assert.equal(list.allows('::1'), true);
    assert.equal(list.allows('1.2.3.4'), true);
    assert.equal(list.allows('2001:db8::1'), false);
    assert.equal(list.allows('0:0:0:0:1::1'), false);
  });

  it('denies clients without a usable address', () => {
    const list = new IpAllowList(['0.0.0.0/0']);
    assert.equal(list.allows('8.8.8.8'), true);
    assert.equal(list.allows(undefined), false);
    assert.equal(list.allows(''), false);
    assert.equal(list.allows('not-an-ip'), false);
  });

  it('skips a stored entry that is not valid instead of throwing, and stays closed', () => {
    const list = new IpAllowList(['abc', '10.0.0.0/33']);
    assert.equal(list.empty, false);
    assert.equal(list.allows('10.0.0.1'), false);
    const mixed = new IpAllowList(['abc', '10.0.0.0/8']);
    assert.equal(mixed.allows('10.0.0.1'), true);
  });

  it('works with a list of several mixed entries', () => {
    const list = new IpAllowList(['10.0.0.0/8', '172.16.0.0/12', '2001:db8::/48', '198.51.100.10', 'fd00::1']);
    const allowed = ['10.20.30.40', '172.31.255.255', '2001:db8:0:1::5', '198.51.100.10', 'fd00::1', '::ffff:172.16.0.1'];
    const denied = ['172.32.0.0', '2001:db8:1::5', '198.51.100.11', 'fd00::2', '127.0.0.1', '::1'];
    for (const address of allowed) assert.equal(list.allows(address), true, address);
    for (const address of denied) assert.equal(list.allows(address), false, address);
  });
});
