import { BlockList, isIP } from "node:net";
import { env } from "@/lib/env";

// Where a request came from, for the login-attempt and audit records and the per-IP limits.
//
// The client's address is the socket's (stamped on every request by scripts/lib/
// peer-address.cjs, because Next gives handlers no socket), unless that peer is a proxy named
// in TRUSTED_PROXIES: then X-Forwarded-For is read from the right, past every trusted proxy, and
// the first address that is not one is the client. Anything a client writes into
// X-Forwarded-For itself is ignored, so nobody can pose as another address to dodge a limit or
// to lock someone else out. Without the stamp (Next started some other way), the rightmost
// X-Forwarded-For entry stands in for the peer: Next fills it from the socket when the client
// sent none.

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

export const noRequestMeta: RequestMeta = { ip: null, userAgent: null };

export const PEER_ADDRESS_HEADER = "x-myits-peer-address";

export function requestMetaFrom(headers: Headers, trusted: readonly string[] = env().TRUSTED_PROXIES): RequestMeta {
  return { ip: clientAddress(headers, trusted), userAgent: headers.get("user-agent")?.slice(0, 300) ?? null };
}

/** Whether the request reached us through a proxy named in TRUSTED_PROXIES. */
export function viaTrustedProxy(headers: Headers, trusted: readonly string[] = env().TRUSTED_PROXIES): boolean {
  const stamped = headers.get(PEER_ADDRESS_HEADER);
  const peer = stamped !== null ? normalise(stamped) : (headers.get("x-forwarded-for")?.split(",").map((e) => normalise(e.trim())).at(-1) ?? null);
  return peer !== null && trusted.length > 0 && isTrusted(proxyList(trusted), peer);
}

function clientAddress(headers: Headers, trusted: readonly string[]): string | null {
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => normalise(entry.trim()))
    .filter((entry): entry is string => entry !== null);
  const stamped = headers.get(PEER_ADDRESS_HEADER);
  const peer = stamped !== null ? normalise(stamped) : (forwarded.pop() ?? null);
  if (peer === null) return null;
  const proxies = proxyList(trusted);
  if (!isTrusted(proxies, peer)) return peer;
  let client = peer;
  for (let index = forwarded.length - 1; index >= 0; index -= 1) {
    client = forwarded[index]!;
    if (!isTrusted(proxies, client)) return client;
  }
  // Only proxies in the chain: the request began at the first of them (or X-Real-IP says).
  return (forwarded.length === 0 ? normalise(headers.get("x-real-ip") ?? "") : null) ?? client;
}

/** An IP address as written ("::ffff:10.0.0.1" as its IPv4 address), or null. */
function normalise(value: string): string | null {
  const address = value.startsWith("::ffff:") && isIP(value.slice(7)) === 4 ? value.slice(7) : value;
  return isIP(address) ? address : null;
}

const lists = new Map<string, BlockList>();

function proxyList(trusted: readonly string[]): BlockList {
  const key = trusted.join(",");
  let list = lists.get(key);
  if (!list) {
    list = new BlockList();
    for (const entry of trusted) {
      const [address, bits] = entry.split("/") as [string, string | undefined];
      const type = isIP(address) === 6 ? "ipv6" : "ipv4";
      if (bits === undefined) list.addAddress(address, type);
      else list.addSubnet(address, Number(bits), type);
    }
    lists.set(key, list);
  }
  return list;
}

function isTrusted(list: BlockList, address: string): boolean {
  return list.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
}
