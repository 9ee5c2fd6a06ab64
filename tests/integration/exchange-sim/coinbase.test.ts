// The Coinbase dialect with tokens signed here (node:crypto, not ccxt): each claim of the ES256
// JWT is checked for real, every failure is the same bare 401, and the fills endpoint pages
// every product newest first with its cursor.

import { createPrivateKey, randomBytes, sign } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExchangeSim, type ExchangeSim, type SimKey } from "@/lib/exchange-sim";

const DAY = 86_400_000;
let sim: ExchangeSim;
let key: SimKey;
let host: string;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

interface TokenParts {
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  secret?: string;
}

function token(method: string, path: string, k: SimKey, { header = {}, claims = {}, secret = k.secret }: TokenParts = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const head = b64({ alg: "ES256", typ: "JWT", kid: k.apiKey, nonce: randomBytes(16).toString("hex"), ...header });
  const body = b64({ sub: k.apiKey, iss: "cdp", nbf: now, exp: now + 120, uri: `${method} ${host}${path}`, ...claims });
  const signature = sign("sha256", Buffer.from(`${head}.${body}`), { key: createPrivateKey(secret), dsaEncoding: "ieee-p1363" });
  return `${head}.${body}.${signature.toString("base64url")}`;
}

async function get(path: string, query = "", parts: TokenParts = {}, k = key) {
  const response = await fetch(`${sim.origin}${path}${query ? `?${query}` : ""}`, { headers: { authorization: `Bearer ${token("GET", path, k, parts)}` } });
  return { status: response.status, failure: response.headers.get("x-sim-auth-failure"), text: await response.text() };
}

const PERMISSIONS = "/api/v3/brokerage/key_permissions";
const FILLS = "/api/v3/brokerage/orders/historical/fills";

beforeAll(async () => {
  sim = await startExchangeSim({ seed: 21 });
  host = new URL(sim.origin).host;
  key = sim.createKey({
    exchange: "coinbase",
    ipWhitelist: ["127.0.0.1"],
    trades: { count: 260, markets: 3, seed: 9, startTime: new Date(Date.now() - 30 * DAY), endTime: new Date(Date.now() - 60_000), products: { spot: { count: 260, markets: 3 }, usdm: { count: 90, markets: 2 } } },
  });
});
afterAll(async () => {
  await sim.close();
});

describe("Coinbase JWT authentication", () => {
  it("accepts a token signed with the key's private key, with CDP's issuer or ccxt's", async () => {
    expect(await get(PERMISSIONS)).toMatchObject({ status: 200 });
    expect(await get(PERMISSIONS, "", { claims: { iss: "coinbase-cloud", aud: ["retail_rest_api_proxy"] } })).toMatchObject({ status: 200 });
    expect(JSON.parse((await get(PERMISSIONS)).text)).toMatchObject({ can_view: true, can_trade: true, can_transfer: false, portfolio_type: "DEFAULT" });
  });

  it("answers every failure with the same plain 401, whatever was wrong", async () => {
    const other = sim.createKey({ exchange: "coinbase" });
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<[string, TokenParts, SimKey?]> = [
      ["signature", { secret: other.secret }],
      ["uri", { claims: { uri: `GET ${host}/api/v3/brokerage/accounts` } }],
      ["expired", { claims: { nbf: now - 300, exp: now - 180 } }],
      ["not_yet_valid", { claims: { nbf: now + 60, exp: now + 180 } }],
      ["claims", { claims: { nbf: now, exp: now + 600 } }],
      ["claims", { claims: { sub: other.apiKey } }],
      ["claims", { claims: { iss: "someone" } }],
      ["claims", { header: { nonce: undefined } }],
      ["algorithm", { header: { alg: "HS256" } }],
    ];
    for (const [why, parts] of cases) {
      expect(await get(PERMISSIONS, "", parts), why).toEqual({ status: 401, failure: why, text: "Unauthorized\n" });
    }
    sim.deleteKey("coinbase", other.apiKey);
    expect(await get(PERMISSIONS, "", {}, other)).toEqual({ status: 401, failure: "unknown_key", text: "Unauthorized\n" });
    const restricted = sim.createKey({ exchange: "coinbase", ipWhitelist: ["203.0.113.7"] });
    expect(await get(PERMISSIONS, "", {}, restricted)).toEqual({ status: 401, failure: "ip", text: "Unauthorized\n" });
    const none = await fetch(`${sim.origin}${PERMISSIONS}`);
    expect(none.status).toBe(401);
  });

  it("refuses a key without the view scope with PERMISSION_DENIED, after authenticating it", async () => {
    const viewless = sim.createKey({ exchange: "coinbase", permissions: { read: false } });
    expect((await get(PERMISSIONS, "", {}, viewless)).status).toBe(200);
    const refused = await get(FILLS, "", {}, viewless);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text)).toEqual({ error: "PERMISSION_DENIED", error_details: "Missing required scopes", message: "Missing required scopes" });
  });
});

describe("Coinbase fills paging", () => {
  it("pages spot and perpetual fills newest first, each once, and the cursor ends empty", async () => {
    const seen: Array<{ trade_id: string; sequence_timestamp: string; product_id: string }> = [];
    let cursor = "";
    for (let page = 0; page < 50; page++) {
      const answer = await get(FILLS, `limit=37${cursor ? `&cursor=${cursor}` : ""}`);
      expect(answer.status).toBe(200);
      const body = JSON.parse(answer.text) as { fills: typeof seen; cursor: string };
      seen.push(...body.fills);
      cursor = body.cursor;
      if (!cursor) break;
      expect(body.fills).toHaveLength(37);
    }
    expect(cursor).toBe("");
    expect(seen).toHaveLength(260 + 90);
    expect(new Set(seen.map((f) => f.trade_id)).size).toBe(seen.length);
    const times = seen.map((f) => Date.parse(f.sequence_timestamp));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(seen.some((f) => f.product_id.endsWith("-PERP-INTX"))).toBe(true);
  });

  it("bounds by sequence time ([start, end)) and by product, and rejects what it cannot read", async () => {
    const truth = sim.trades("coinbase", key.apiKey);
    const middle = truth[130]!.timestamp;
    const start = new Date(middle).toISOString();
    const answer = JSON.parse((await get(FILLS, `limit=1000&start_sequence_timestamp=${start}&product_ids=${truth[130]!.symbol}`)).text) as { fills: Array<{ trade_time: string; product_id: string }> };
    expect(answer.fills.length).toBe(truth.filter((t) => t.timestamp >= middle && t.symbol === truth[130]!.symbol).length);
    expect(answer.fills.every((f) => f.product_id === truth[130]!.symbol)).toBe(true);
    const before = JSON.parse((await get(FILLS, `limit=1000&end_sequence_timestamp=${start}`)).text) as { fills: unknown[] };
    expect(before.fills.length).toBe(truth.filter((t) => t.timestamp < middle).length + sim.trades("coinbase", key.apiKey, { product: "usdm" }).filter((t) => t.timestamp < middle).length);
    for (const query of ["limit=0", "limit=1001", "start_sequence_timestamp=yesterday", "cursor=bm9wZQ"]) {
      const bad = await get(FILLS, query);
      expect(bad.status, query).toBe(400);
      expect(JSON.parse(bad.text)).toMatchObject({ error: "INVALID_ARGUMENT" });
    }
  });
});
