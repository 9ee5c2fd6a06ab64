import { describe, expect, it } from "vitest";
import { createExchange, endpointOverrides, normalizeOrigin, rewriteApiUrls } from "@/lib/exchanges/ccxt-client";
import { ExchangeAdapterError } from "@/lib/exchanges/errors";

function allStrings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (value && typeof value === "object") return Object.values(value).flatMap(allStrings);
  return [];
}

describe("rewriteApiUrls", () => {
  it("replaces scheme, host and port of every URL and keeps paths and queries", () => {
    const api = {
      sapi: "https://api.binance.com/sapi/v1",
      nested: { fapi: "https://fapi.binance.com:443/fapi/v1?x=1", list: ["wss://stream.binance.com/ws", "not a url"] },
      rest: "https://{hostname}",
      bybit: "https://api.{hostname}/v5",
      count: 3,
    };
    expect(rewriteApiUrls(api, "http://127.0.0.1:4010")).toEqual({
      sapi: "http://127.0.0.1:4010/sapi/v1",
      nested: { fapi: "http://127.0.0.1:4010/fapi/v1?x=1", list: ["http://127.0.0.1:4010/ws", "not a url"] },
      rest: "http://127.0.0.1:4010",
      bybit: "http://127.0.0.1:4010/v5",
      count: 3,
    });
  });

  it("does not touch its input", () => {
    const api = { a: "https://api.example.com/v1" };
    rewriteApiUrls(api, "http://localhost:1");
    expect(api.a).toBe("https://api.example.com/v1");
  });

  it("accepts a trailing slash, refuses paths and non-http schemes", () => {
    expect(normalizeOrigin("http://127.0.0.1:4010/")).toBe("http://127.0.0.1:4010");
    expect(() => normalizeOrigin("http://127.0.0.1:4010/api")).toThrow(/origin only/);
    expect(() => normalizeOrigin("ftp://x")).toThrow(/http/);
    expect(() => normalizeOrigin("nonsense")).toThrow(/not a URL/);
  });
});

describe("endpointOverrides", () => {
  it("reads EXCHANGE_ORIGIN_<ID>, EXCHANGE_SANDBOX_<ID> and EXCHANGE_TIMEOUT_MS from the given env", () => {
    const env = { EXCHANGE_ORIGIN_BINANCE: "http://127.0.0.1:4010", EXCHANGE_SANDBOX_BYBIT: "1", EXCHANGE_TIMEOUT_MS: "2500" };
    expect(endpointOverrides("binance", env)).toEqual({ origin: "http://127.0.0.1:4010", sandbox: false, timeoutMs: 2500 });
    expect(endpointOverrides("bybit", env)).toEqual({ origin: null, sandbox: true, timeoutMs: 2500 });
    expect(endpointOverrides("okx", {}).timeoutMs).toBe(10_000);
    expect(endpointOverrides("okx", {}, 42).timeoutMs).toBe(42);
  });

  it("refuses a malformed origin with a typed error naming the variable", () => {
    expect(() => endpointOverrides("okx", { EXCHANGE_ORIGIN_OKX: "127.0.0.1:1/x" })).toThrow(ExchangeAdapterError);
    expect(() => endpointOverrides("okx", { EXCHANGE_ORIGIN_OKX: "http://h/x" })).toThrow(/EXCHANGE_ORIGIN_OKX/);
  });
});

describe("createExchange", () => {
  it.each(["binance", "okx", "bybit", "kraken"])("points every %s API URL at the override", (id) => {
    const exchange = createExchange(id, undefined, { env: { [`EXCHANGE_ORIGIN_${id.toUpperCase()}`]: "http://127.0.0.1:4010" } });
    const urls = allStrings(exchange.urls.api);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url.startsWith("http://127.0.0.1:4010")).toBe(true);
  });

  it("leaves the real endpoints alone without an override", () => {
    const exchange = createExchange("binance", undefined, { env: {} });
    expect((exchange.urls.api as Record<string, string>).sapi).toBe("https://api.binance.com/sapi/v1");
  });

  it("passes credentials (passphrase as ccxt's password), timeout and rate limiting", () => {
    const exchange = createExchange("okx", { apiKey: "k", secret: "s", passphrase: "p" }, { env: {}, timeoutMs: 1234 });
    expect([exchange.apiKey, exchange.secret, exchange.password]).toEqual(["k", "s", "p"]);
    expect(exchange.timeout).toBe(1234);
    expect(exchange.enableRateLimit).toBe(true);
    expect(createExchange("okx", undefined, { env: {}, enableRateLimit: false }).enableRateLimit).toBe(false);
  });

  it("turns on sandbox mode, then applies the origin to the sandbox URLs", () => {
    const sandboxed = createExchange("bybit", undefined, { env: { EXCHANGE_SANDBOX_BYBIT: "1" } });
    expect(allStrings(sandboxed.urls.api).every((u) => u.includes("api-testnet."))).toBe(true);
    const both = createExchange("bybit", undefined, { env: { EXCHANGE_SANDBOX_BYBIT: "1", EXCHANGE_ORIGIN_BYBIT: "http://127.0.0.1:9" } });
    expect(allStrings(both.urls.api).every((u) => u.startsWith("http://127.0.0.1:9"))).toBe(true);
  });

  it("refuses sandbox mode where ccxt has none, and unknown exchanges, with typed errors", () => {
    expect(() => createExchange("kraken", undefined, { env: { EXCHANGE_SANDBOX_KRAKEN: "1" } })).toThrow(ExchangeAdapterError);
    expect(() => createExchange("nope", undefined, { env: {} })).toThrow(ExchangeAdapterError);
  });

  it("passes adapter options through to ccxt", () => {
    const exchange = createExchange("binance", undefined, { env: {}, options: { fetchCurrencies: false, fetchMarkets: { types: ["spot"] } } });
    expect(exchange.options.fetchCurrencies).toBe(false);
    expect(exchange.options.fetchMarkets.types).toEqual(["spot"]);
  });
});
