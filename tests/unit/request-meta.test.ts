import { createServer, request } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { PEER_ADDRESS_HEADER, requestMetaFrom } from "@/lib/auth/request-meta";

const ipOf = (headers: Record<string, string>, trusted: string[] = []) => requestMetaFrom(new Headers(headers), trusted).ip;

describe("the client address of a request", () => {
  it("is the socket's peer, whatever X-Forwarded-For a client writes, when no proxy is trusted", () => {
    expect(ipOf({ [PEER_ADDRESS_HEADER]: "203.0.113.7" })).toBe("203.0.113.7");
    expect(ipOf({ [PEER_ADDRESS_HEADER]: "203.0.113.7", "x-forwarded-for": "198.51.100.1", "x-real-ip": "198.51.100.2" })).toBe("203.0.113.7");
    expect(ipOf({ [PEER_ADDRESS_HEADER]: "::ffff:127.0.0.1" })).toBe("127.0.0.1");
  });

  it("is read from X-Forwarded-For, right to left past trusted proxies, when the peer is one", () => {
    const trusted = ["10.0.0.0/8", "::1"];
    // a client's own forged entry sits left of what the proxy appended: never reached
    expect(ipOf({ [PEER_ADDRESS_HEADER]: "10.1.2.3", "x-forwarded-for": "6.6.6.6, 203.0.113.7" }, trusted)).toBe("203.0.113.7");
    expect(ipOf({ [PEER_ADDRESS_HEADER]: "10.1.2.3", "x-forwarded-for": "6.6.6.6, 203.0.113.7, 10.9.9.9" }, trusted)).toBe("203.0.113.7");
    expect(ipOf({ [PEER_ADDRESS_HEADER]: "::1", "x-forwarded-for": "2001:db8::5" }, trusted)).toBe("2001:db8::5");
    // a trusted peer that forwarded nothing: X-Real-IP, else the peer itself
    expect(ipOf({ [PEER_ADDRESS_HEADER]: "10.1.2.3", "x-real-ip": "203.0.113.9" }, trusted)).toBe("203.0.113.9");
    expect(ipOf({ [PEER_ADDRESS_HEADER]: "10.1.2.3" }, trusted)).toBe("10.1.2.3");
    // garbage entries are skipped, not believed
    expect(ipOf({ [PEER_ADDRESS_HEADER]: "10.1.2.3", "x-forwarded-for": "203.0.113.7, not-an-ip" }, trusted)).toBe("203.0.113.7");
  });

  it("without the socket stamp, takes the entry Next appended (the rightmost)", () => {
    expect(ipOf({ "x-forwarded-for": "6.6.6.6, 127.0.0.1" })).toBe("127.0.0.1");
    expect(ipOf({})).toBeNull();
  });

  it("TRUSTED_PROXIES accepts addresses and CIDR ranges and names a bad entry", () => {
    const base = { DATABASE_URL: "postgres://x@127.0.0.1/db", AUTH_SECRET: "x".repeat(40), ENCRYPTION_KEY: Buffer.alloc(32).toString("base64") };
    expect(parseEnv(base).TRUSTED_PROXIES).toEqual([]);
    expect(parseEnv({ ...base, TRUSTED_PROXIES: " 10.0.0.0/8, 127.0.0.1,::1 ,fd00::/8" }).TRUSTED_PROXIES).toEqual(["10.0.0.0/8", "127.0.0.1", "::1", "fd00::/8"]);
    for (const bad of ["10.0.0.0/33", "proxy.internal", "10.0.0.1/8/2", "::1/129"]) {
      expect(() => parseEnv({ ...base, TRUSTED_PROXIES: bad })).toThrow(/TRUSTED_PROXIES entries must be IP addresses or CIDR ranges/);
    }
  });
});

describe("scripts/lib/peer-address.cjs (preloaded into the Next process)", () => {
  it("stamps each request with its socket's address, replacing a client's own value", async () => {
    createRequire(import.meta.url)("../../scripts/lib/peer-address.cjs");
    const server = createServer((req, res) => res.end(JSON.stringify(requestMetaFrom(new Headers(req.headers as Record<string, string>), []))));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const body = await new Promise<string>((resolve, reject) => {
        const sent = request({ port, host: "127.0.0.1", headers: { [PEER_ADDRESS_HEADER]: "6.6.6.6", "x-forwarded-for": "6.6.6.7" } }, (res) => {
          let text = "";
          res.on("data", (chunk: Buffer) => (text += chunk.toString()));
          res.on("end", () => resolve(text));
        });
        sent.on("error", reject);
        sent.end();
      });
      expect(JSON.parse(body).ip).toBe("127.0.0.1");
    } finally {
      server.close();
    }
  });
});
