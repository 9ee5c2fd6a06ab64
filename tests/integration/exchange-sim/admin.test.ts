// The HTTP admin interface under /__admin: JSON routes over the same state as the programmatic
// interface, the HTML page the demo shows, its refusal of cross-origin writes, and who may use it
// at all (a token and a Host allow-list).

import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startExchangeSim, type ExchangeSim } from "@/lib/exchange-sim";
import { binanceGet, bybitRequest } from "./helpers";

let sim: ExchangeSim;

beforeAll(async () => {
  sim = await startExchangeSim({ seed: 3 });
});
afterAll(async () => {
  await sim.close();
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(sim.origin + path, {
    method,
    headers: { authorization: `Bearer ${sim.adminToken}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    redirect: "manual",
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, headers: res.headers, text, json: json as any };
}

describe("admin JSON interface", () => {
  it("creates, lists, describes, restricts and deletes keys", async () => {
    const created = await call("POST", "/__admin/keys", {
      exchange: "binance",
      label: "via http",
      permissions: { withdraw: true },
      ipWhitelist: ["127.0.0.1"],
      expiresAt: "2030-01-01T00:00:00Z",
      trades: { count: 300, markets: 3, seed: 1, startTime: "2026-01-01T00:00:00Z", endTime: "2026-03-01T00:00:00Z" },
    });
    expect(created.status).toBe(201);
    const key = created.json.key;
    expect(key).toMatchObject({ exchange: "binance", label: "via http", ipWhitelist: ["127.0.0.1"], expiresAt: "2030-01-01T00:00:00.000Z" });
    expect(key.permissions).toEqual({ read: true, spotTrade: true, marginTrade: false, futuresTrade: false, withdraw: true, transfer: false });
    expect((await binanceGet(sim.origin, key, "/api/v3/account")).status).toBe(200);

    const list = await call("GET", "/__admin/keys?exchange=binance");
    expect(list.json.keys.map((k: { apiKey: string }) => k.apiKey)).toContain(key.apiKey);
    const one = await call("GET", `/__admin/keys/binance/${key.apiKey}`);
    expect(one.json.tradeCount).toBe(300);
    expect(one.json.markets.traded).toHaveLength(3);
    const page = await call("GET", `/__admin/keys/binance/${key.apiKey}/trades?offset=10&limit=5`);
    expect(page.json.trades).toEqual(sim.trades("binance", key.apiKey, { offset: 10, limit: 5 }));
    expect(page.json.trades).toEqual(sim.trades("binance", key.apiKey).slice(10, 15));

    const patched = await call("PATCH", `/__admin/keys/binance/${key.apiKey}`, { ipWhitelist: ["10.1.1.1"], permissions: { withdraw: false } });
    expect(patched.json.key).toMatchObject({ ipWhitelist: ["10.1.1.1"], permissions: { withdraw: false } });
    expect((await binanceGet(sim.origin, key, "/api/v3/account")).json.code).toBe(-2015);

    expect((await call("DELETE", `/__admin/keys/binance/${key.apiKey}`)).json).toEqual({ deleted: true });
    expect((await binanceGet(sim.origin, key, "/api/v3/account")).json.code).toBe(-2008);
    expect((await call("DELETE", `/__admin/keys/binance/${key.apiKey}`)).status).toBe(404);
  });

  it("validates bodies", async () => {
    expect((await call("POST", "/__admin/keys", { exchange: "bitstamp" })).status).toBe(400);
    expect((await call("POST", "/__admin/keys", "{not json")).status).toBe(400);
    expect((await call("POST", "/__admin/keys", { exchange: "okx", trades: { count: 10, markets: 999 } })).status).toBe(400);
    expect((await call("POST", "/__admin/faults", { kind: "explode" })).status).toBe(400);
  });

  it("sets and clears faults, reports and resets stats and rate limits", async () => {
    await call("POST", "/__admin/stats/reset");
    expect((await call("POST", "/__admin/faults", { exchange: "bybit", kind: "error", status: 500, count: 1 })).status).toBe(201);
    expect((await call("GET", "/__admin/faults")).json.faults).toEqual([{ exchange: "bybit", kind: "error", status: 500, count: 1 }]);
    expect((await fetch(`${sim.origin}/v5/market/time`)).status).toBe(500);
    expect((await fetch(`${sim.origin}/v5/market/time`)).status).toBe(200);
    await call("POST", "/__admin/faults", { kind: "latency", ms: 1 });
    expect((await call("DELETE", "/__admin/faults")).json.faults).toEqual([]);
    await fetch(`${sim.origin}/api/v3/ping`);
    const stats = await call("GET", "/__admin/stats");
    expect(stats.json).toMatchObject({ requests: 3, byPath: { "/v5/market/time": 2, "/api/v3/ping": 1 } });
    expect(stats.json.binance.usedWeight).toBeGreaterThanOrEqual(1);
    expect((await call("POST", "/__admin/rate-limits/reset")).json).toEqual({ reset: true });
    expect((await call("GET", "/__admin/stats")).json.binance.usedWeight).toBe(0);
  });

  it("refuses state changes from another origin", async () => {
    const k = sim.createKey({ exchange: "bybit" });
    const r = await call("DELETE", `/__admin/keys/bybit/${k.apiKey}`, undefined, { origin: "https://evil.example" });
    expect(r.status).toBe(403);
    expect(sim.listKeys("bybit").map((x) => x.apiKey)).toContain(k.apiKey);
  });
});

describe("admin HTML page", () => {
  it("says it is a simulated exchange, lists keys, and deletes with its button", async () => {
    const k = sim.createKey({ exchange: "okx", label: "<script>label</script>" });
    const page = await call("GET", "/__admin");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.text).toContain("SIMULATED EXCHANGE");
    expect(page.text).toContain(k.apiKey);
    expect(page.text).toContain("&lt;script&gt;label&lt;/script&gt;");
    expect(page.text).not.toContain("<script>label");
    expect(page.text).toContain(`action="/__admin/keys/okx/${k.apiKey}/delete"`);

    const del = await call("POST", `/__admin/keys/okx/${k.apiKey}/delete`, "", { origin: sim.origin, "content-type": "application/x-www-form-urlencoded" });
    expect(del.status).toBe(303);
    expect(del.headers.get("location")).toBe("/__admin");
    expect(sim.listKeys("okx").map((x) => x.apiKey)).not.toContain(k.apiKey);
  });

  it("switches a key's withdrawals and transfers with its form, as on the exchange's API-management page", async () => {
    const k = sim.createKey({ exchange: "binance", label: "toggled", permissions: { withdraw: false, transfer: true } });
    const page = await call("GET", "/__admin");
    expect(page.text).toContain(`action="/__admin/keys/binance/${k.apiKey}/permissions"`);
    const on = await call("POST", `/__admin/keys/binance/${k.apiKey}/permissions`, "withdraw=on", { origin: sim.origin, "content-type": "application/x-www-form-urlencoded" });
    expect(on.status).toBe(303);
    expect(on.headers.get("location")).toBe("/__admin");
    expect(sim.listKeys("binance").find((x) => x.apiKey === k.apiKey)!.permissions).toMatchObject({ withdraw: true, transfer: false, read: true });
    const missing = await call("POST", "/__admin/keys/binance/no-such-key/permissions", "withdraw=on", { origin: sim.origin, "content-type": "application/x-www-form-urlencoded" });
    expect(missing.status).toBe(404);
  });

  it("creates a key from its form", async () => {
    const before = sim.listKeys("bybit").length;
    const r = await call("POST", "/__admin/keys/new", "exchange=bybit&label=form+key&transfer=on&trades=50", {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(r.status).toBe(303);
    const keys = sim.listKeys("bybit");
    expect(keys.length).toBe(before + 1);
    const k = keys.find((x) => x.label === "form key")!;
    expect(k.permissions.transfer).toBe(true);
    expect(sim.tradeCount("bybit", k.apiKey)).toBe(50);
    expect((await bybitRequest(sim.origin, k, "GET", "/v5/user/query-api")).json.result.permissions.Wallet).toEqual([
      "AccountTransfer",
      "SubMemberTransfer",
    ]);
  });
});

describe("admin access", () => {
  /** node:http, so the test can send any Host header (fetch sends the URL's). */
  function raw(method: string, path: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
    const { hostname, port } = new URL(sim.origin);
    return new Promise((resolve, reject) => {
      const req = httpRequest({ hostname, port, path, method, headers }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      });
      req.on("error", reject);
      req.end();
    });
  }
  const port = () => new URL(sim.origin).port;
  const bearer = () => ({ authorization: `Bearer ${sim.adminToken}` });

  it("refuses every admin route without the token (401) or with a wrong one (403), reading and deleting nothing", async () => {
    const k = sim.createKey({ exchange: "binance" });
    for (const [method, path] of [
      ["GET", "/__admin"],
      ["GET", "/__admin/keys"],
      ["GET", `/__admin/keys/binance/${k.apiKey}`],
      ["DELETE", `/__admin/keys/binance/${k.apiKey}`],
      ["POST", `/__admin/keys/binance/${k.apiKey}/delete`],
      ["POST", "/__admin/stats/reset"],
    ] as const) {
      const none = await raw(method, path, {});
      expect([method, path, none.status]).toEqual([method, path, 401]);
      expect(none.body).not.toContain(k.secret);
      const wrong = await raw(method, path, { authorization: `Bearer ${"x".repeat(sim.adminToken.length)}` });
      expect([method, path, wrong.status]).toEqual([method, path, 403]);
      expect(wrong.body).not.toContain(k.secret);
    }
    expect(sim.listKeys("binance").map((x) => x.apiKey)).toContain(k.apiKey);
    expect(sim.adminToken).toMatch(/^[\w-]{32}$/);
    expect(sim.adminUrl).toBe(`${sim.origin}/__admin?token=${sim.adminToken}`);
  });

  it("refuses a Host that is not the simulator's, token or not (DNS rebinding)", async () => {
    for (const host of [`evil.example:${port()}`, "127.0.0.1", `127.0.0.1:${Number(port()) + 1}`, `127.0.0.1.evil.example:${port()}`]) {
      const answer = await raw("GET", "/__admin/keys", { ...bearer(), host });
      expect([host, answer.status]).toEqual([host, 403]);
      expect(answer.body).toMatch(/DNS-rebinding/);
    }
    expect((await raw("GET", "/__admin/health", { host: `evil.example:${port()}` })).status).toBe(403);
    for (const host of [`127.0.0.1:${port()}`, `localhost:${port()}`]) {
      expect((await raw("GET", "/__admin/keys", { ...bearer(), host })).status).toBe(200);
    }
  });

  it("trades the printed URL's token for a SameSite cookie the page's forms then carry", async () => {
    const opened = await raw("GET", `/__admin?token=${encodeURIComponent(sim.adminToken)}`, {});
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toBe("/__admin");
    const setCookie = opened.headers["set-cookie"]?.[0] ?? "";
    expect(setCookie).toMatch(/HttpOnly; SameSite=Strict/);
    const cookie = setCookie.split(";")[0]!;
    expect((await raw("GET", "/__admin", { cookie })).status).toBe(200);
    const k = sim.createKey({ exchange: "okx" });
    const deleted = await raw("POST", `/__admin/keys/okx/${k.apiKey}/delete`, { cookie, origin: sim.origin });
    expect(deleted.status).toBe(303);
    expect(sim.listKeys("okx").map((x) => x.apiKey)).not.toContain(k.apiKey);
    expect((await raw("GET", "/__admin/health", {})).status).toBe(200);
  });
});
