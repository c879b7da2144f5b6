// IPv4/IPv6 addresses and CIDR ranges for `allowed_ips`, on node:net's BlockList.
import { BlockList, isIP } from 'node:net';

const MAPPED_V4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, as dual-stack sockets report) as plain IPv4. */
export function normalizeIp(address: string): string {
  const mapped = MAPPED_V4.exec(address);
  return mapped ? mapped[1]! : address;
}

/** A prefix length as written in CIDR notation: a decimal number without leading zeros. */
const PREFIX_LENGTH = /^(0|[1-9]\d{0,2})$/;

/** `1.2.3.4`, `10.0.0.0/8`, `2001:db8::/32` or `::1`; returns an error message or `undefined`. */
export function cidrError(value: string): string | undefined {
  const [address = '', bits, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return `"${value}" is not an IP address or CIDR range`;
  // node:net takes `fe80::1%eth0` and then ignores the zone, so the entry would allow that address on any interface.
  if (address.includes('%')) return `"${value}" names a network interface (${address.slice(address.indexOf('%'))}); give the address without it`;
  if (bits === undefined) return undefined;
  const max = family === 4 ? 32 : 128;
  if (!PREFIX_LENGTH.test(bits) || Number(bits) > max) return `"${value}" has a prefix length outside 0-${max} (a whole number without leading zeros)`;
  return undefined;
}

/** Matches client addresses against a list of CIDRs; built once per key, checked per request. */
export class IpAllowList {
  private readonly list = new BlockList();
  readonly empty: boolean;

  constructor(cidrs: readonly string[]) {
    this.empty = cidrs.length === 0;
    for (const cidr of cidrs) {
      // Input is validated before it is stored; an entry that is still bad is skipped, which
      // only narrows the list (fail closed) instead of failing every request of the key.
      if (cidrError(cidr) !== undefined) continue;
      const [raw = '', bits] = cidr.split('/');
      const address = normalizeIp(raw);
      if (bits === undefined) this.list.addAddress(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
      // `::ffff:a.b.c.d/n` with n >= 96 is the IPv4 range /(n - 96); a shorter prefix stays IPv6.
      else if (address !== raw && Number(bits) >= 96) this.list.addSubnet(address, Number(bits) - 96, 'ipv4');
      else this.list.addSubnet(raw, Number(bits), isIP(raw) === 6 ? 'ipv6' : 'ipv4');
    }
  }

  /** True when the list is empty (any address) or `address` lies in one of its ranges. */
  allows(address: string | undefined): boolean {
    if (this.empty) return true;
    if (!address) return false;
    const ip = normalizeIp(address);
    const family = isIP(ip);
    if (family === 0) return false;
    return this.list.check(ip, family === 6 ? 'ipv6' : 'ipv4');
  }
}
