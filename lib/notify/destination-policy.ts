import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";

// Where a webhook may go. A webhook is a request the server makes to an address a user typed:
// without a rule, a user could make it reach what only the server can (the cloud metadata
// endpoint at 169.254.169.254, the database, admin pages on the private network) - SSRF. So
// by default only public addresses are allowed, and the rule is applied to the address the
// request actually connects to (the DNS answer at send time, not at save time), so a name that
// resolves elsewhere later (DNS rebinding) gains nothing. WEBHOOK_ALLOW_PRIVATE_NETWORKS=1
// lifts it for a receiver on the same machine or network (the demo sets it).

const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24], // documentation
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b:1::", 48], // local-use NAT64
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, "ipv6");
}

/** IPv4-mapped and NAT64 (64:ff9b::/96) IPv6 addresses, as the IPv4 address they carry. */
function embeddedIpv4(address: string): string | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address) ?? /^64:ff9b::(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return null;
  const high = parseInt(hex[1]!, 16);
  const low = parseInt(hex[2]!, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

/** True for an address on the public internet; false for loopback, private, link-local, reserved. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 4) return !NOT_PUBLIC.check(address, "ipv4");
  const ipv4 = embeddedIpv4(address);
  if (ipv4 !== null) return isIP(ipv4) === 4 && !NOT_PUBLIC.check(ipv4, "ipv4");
  return !NOT_PUBLIC.check(address, "ipv6");
}

export class BlockedDestinationError extends Error {
  readonly code = "EBLOCKEDDESTINATION";
  constructor(readonly address: string) {
    super(`${address} is not a public address`);
    this.name = "BlockedDestinationError";
  }
}

/** A URL's host without the brackets of an IPv6 literal. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

/**
 * A `lookup` for http.request that refuses to connect anywhere but public addresses: every
 * address the name resolves to must be public (a name with one private answer is refused).
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, "", 0);
    const list = addresses as unknown as LookupAddress[];
    const blocked = firstNonPublic(list);
    if (blocked || list.length === 0) return callback(new BlockedDestinationError(blocked ?? hostname), "", 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
};

/**
 * Why a webhook URL may not be used, or null: for the settings page, so the user hears it when
 * saving rather than at the first delivery. (Delivery checks again, on the connection itself.)
 */
export async function destinationProblem(value: string): Promise<string | null> {
  const url = new URL(value);
  const host = hostOf(url);
  if (isIP(host) !== 0) return isPublicAddress(host) ? null : `${host} is a private or reserved address`;
  const addresses = await new Promise<LookupAddress[] | null>((resolve) =>
    dnsLookup(host, { all: true }, (error, found) => resolve(error ? null : found)),
  );
  if (addresses === null || addresses.length === 0) return `${host} does not resolve to an address`;
  const blocked = firstNonPublic(addresses);
  return blocked ? `${host} resolves to ${blocked}, a private or reserved address` : null;
}

/** The first of a name's addresses that is not public: one is enough to refuse the name. */
function firstNonPublic(addresses: readonly LookupAddress[]): string | null {
  return addresses.find((entry) => !isPublicAddress(entry.address))?.address ?? null;
}
