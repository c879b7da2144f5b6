// IPv4/IPv6 addresses and CIDR ranges for `allowed_ips`, on node:net's BlockList.
import { BlockList, isIP } from 'node:net';

const MAPPED_V4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, as dual-stack sockets report) as plain IPv4. */
export function normalizeIp(address: string): string {
  const mapped = MAPPED_V4.exec(address);
  return mapped ? mapped[1]! : address;
}

/** `1.2.3.4`, `10.0.0.0/8`, `2001:db8::/32` or `::1`; returns an error message or `undefined`. */
export function cidrError(value: string): string | undefined {
  const [address = '', bits, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return `"${value}" is not an IP address or CIDR range`;
  if (bits === undefined) return undefined;
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return `"${value}" has a prefix length outside 0-${max}`;
  return undefined;
}

/** Matches client addresses against a list of CIDRs; built once per key, checked per request. */
export class IpAllowList {
  private readonly list = new BlockList();
  readonly empty: boolean;

  constructor(cidrs: readonly string[]) {
    this.empty = cidrs.length === 0;
    for (const cidr of cidrs) {
      const [raw = '', bits] = cidr.split('/');
      const address = normalizeIp(raw);
      const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) this.list.addAddress(address, type);
      else this.list.addSubnet(address, Number(bits) - (address !== raw ? 96 : 0), type);
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
