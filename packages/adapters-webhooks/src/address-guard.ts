import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Resolves a host name to every address it has (as `dns.lookup` with `all`). */
export type Resolver = (host: string) => Promise<readonly { address: string; family: number }[]>;

const systemResolver: Resolver = (host) => lookup(host, { all: true, verbatim: true });

// Addresses a webhook may never reach: this network, private ranges, shared address space,
// link-local (169.254.169.254, the cloud metadata service, included), multicast and reserved,
// and their IPv6 kin (unique-local, where fd00:ec2::254 is metadata too; link-local; multicast).
const FORBIDDEN = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  FORBIDDEN.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['2001:db8::', 32],
] as const) {
  FORBIDDEN.addSubnet(net, prefix, 'ipv6');
}
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Why an address is refused, or `undefined` when a webhook may reach it. */
export function refusalOf(address: string, allowLoopback: boolean): string | undefined {
  const family = isIP(address);
  if (family === 0) return `${address} is not an IP address`;
  // An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is the IPv4 address it maps.
  const mapped = family === 6 ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] : undefined;
  const ip = mapped ?? address;
  const type = isIP(ip) === 4 ? 'ipv4' : 'ipv6';
  if (LOOPBACK.check(ip, type))
    return allowLoopback ? undefined : `${address} is a loopback address`;
  if (FORBIDDEN.check(ip, type)) return `${address} is a private, link-local or reserved address`;
  return undefined;
}

export interface CheckedDestination {
  readonly url: URL;
  /** The address to connect to: the one checked, so a second resolution cannot move it. */
  readonly address: string;
  readonly family: number;
}

/**
 * Checks a webhook URL before each delivery (and at registration): https (or http to loopback
 * where loopback is allowed, i.e. `ENVIRONMENT=local`), no credentials in it, and every address
 * its host resolves to public. @throws Error naming the refusal.
 */
export async function checkDestination(
  raw: string,
  options: { allowLoopback: boolean; resolve?: Resolver },
): Promise<CheckedDestination> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('The webhook URL is not a URL');
  }
  if (url.username || url.password) throw new Error('The webhook URL may not carry credentials');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && options.allowLoopback)) {
    throw new Error('The webhook URL must be https');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host)
    ? [{ address: host, family: isIP(host) }]
    : await (options.resolve ?? systemResolver)(host);
  if (addresses.length === 0) throw new Error(`${host} resolves to no address`);
  for (const { address } of addresses) {
    const refusal = refusalOf(address, options.allowLoopback);
    if (refusal) throw new Error(`Refused: ${host} resolves to ${refusal}`);
  }
  const plain = url.protocol === 'http:';
  if (plain && addresses.some((a) => refusalOf(a.address, false) === undefined)) {
    throw new Error('Plain http is allowed to loopback addresses only');
  }
  return { url, address: addresses[0]!.address, family: addresses[0]!.family };
}
