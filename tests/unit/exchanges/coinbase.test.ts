import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { StepIllustration } from "@/components/unbind/illustrations/step-illustration";
import { classifyCoinbaseError, coinbasePermissions, coinbaseProduct, createCoinbaseAdapter, normalizeCoinbaseFill, parseCoinbaseCursor } from "@/lib/exchanges/coinbase";
import { createGenericAdapter } from "@/lib/exchanges/generic";
import { canProveDeletion, getAdapter } from "@/lib/exchanges/registry";
import { bindKeySchema, normalizePem } from "@/lib/keys/schemas";
import { ccxtErrorFor } from "./ccxt-errors";

// Coinbase's error table on what ccxt's coinbase class really raises: no answer is a revocation.
const classify = (status: number, body: string) => classifyCoinbaseError(ccxtErrorFor("coinbase", status, body, { url: "http://127.0.0.1:4010/api/v3/brokerage/key_permissions" }));

describe("Coinbase error table", () => {
  it("never calls a 401 revoked: a deleted key, a wrong private key and an IP refusal are one bare 'Unauthorized'", () => {
    expect(classify(401, "Unauthorized\n")).toMatchObject({ status: "ambiguous", reason: "key_refused" });
    expect(classify(401, "Unauthorized\n").code).toBeUndefined();
  });

  it("a missing scope proves the key exists; rate limits and outages are unreachable; a bad request is ours", () => {
    expect(classify(403, '{"error":"PERMISSION_DENIED","error_details":"Missing required scopes","message":"Missing required scopes"}')).toMatchObject({
      status: "valid",
      reason: "permission_denied",
      code: "PERMISSION_DENIED",
    });
    expect(classify(403, '{"error":"unknown","error_details":"Missing required scopes","message":"Missing required scopes"}')).toMatchObject({ status: "valid", reason: "permission_denied" });
    expect(classify(429, "<html><head><title>Coinbase</title></head></html>")).toMatchObject({ status: "unreachable", reason: "rate_limited" });
    expect(classify(429, '{"error":"RESOURCE_EXHAUSTED","error_details":"too many requests","message":"too many requests"}')).toMatchObject({ status: "unreachable", reason: "rate_limited" });
    expect(classify(503, "<html>Service Unavailable</html>")).toMatchObject({ status: "unreachable", reason: "exchange_unavailable" });
    expect(classify(400, '{"error":"INVALID_ARGUMENT","error_details":"limit","message":"limit"}')).toMatchObject({ status: "ambiguous", reason: "configuration" });
  });

  it("makes the unbind complete on the user's word, saying why", () => {
    const adapter = createCoinbaseAdapter();
    expect(adapter.full).toBe(true);
    expect(canProveDeletion(adapter)).toBe(false);
    expect(adapter.unprovableDeletion).toMatch(/401 Unauthorized/);
    expect(canProveDeletion(getAdapter("gate"))).toBe(true);
    expect(canProveDeletion(createGenericAdapter("kraken"))).toBe(false);
  });
});

describe("Coinbase key facts", () => {
  it("maps view, trade and transfer onto the common permissions", () => {
    expect(coinbasePermissions({ can_view: true, can_trade: false, can_transfer: false })).toEqual({
      read: true,
      spotTrade: false,
      marginTrade: false,
      futuresTrade: false,
      withdraw: false,
      transfer: false,
      other: [],
    });
    expect(coinbasePermissions({ can_view: true, can_trade: true, can_transfer: true })).toMatchObject({ spotTrade: true, futuresTrade: true, withdraw: true, transfer: true });
  });

  it("tells spot, INTX perpetuals and US futures apart by product id", () => {
    expect(coinbaseProduct("BTC-USDC")).toEqual({ product: "spot", base: "BTC", quote: "USDC", symbol: "BTC/USDC" });
    expect(coinbaseProduct("ETH-PERP-INTX")).toEqual({ product: "usdm", base: "ETH", quote: "USDC", symbol: "ETH/USDC:USDC" });
    expect(coinbaseProduct("BIT-28JUN24-CDE")).toMatchObject({ product: "usdm", base: "BIT", quote: "USD" });
  });
});

describe("Coinbase fills", () => {
  const fill = {
    entry_id: "e",
    trade_id: "1111-11111-111111",
    order_id: "0000-000000-000000",
    trade_time: "2024-01-15T10:30:00.123Z",
    trade_type: "FILL",
    price: "45123.45",
    size: "0.005",
    commission: "1.14",
    product_id: "BTC-USDC",
    sequence_timestamp: "2024-01-15T10:30:00.123456Z",
    liquidity_indicator: "MAKER",
    size_in_quote: false,
    user_id: "u",
    side: "BUY",
    retail_portfolio_id: "",
  };

  it("keeps Coinbase's strings and books a spot buy exactly", () => {
    expect(normalizeCoinbaseFill(fill)).toMatchObject({
      id: "1111-11111-111111",
      product: "spot",
      market: "BTC-USDC",
      symbol: "BTC/USDC",
      side: "buy",
      timestamp: Date.parse("2024-01-15T10:30:00.123Z"),
      price: "45123.45",
      amount: "0.005",
      cost: "225.61725",
      fee: { cost: "1.14", currency: "USDC" },
      maker: true,
      exact: true,
      effects: { BTC: "0.005", USDC: "-226.75725" },
    });
  });

  it("reads a size in quote as the cost, and marks an amount it had to round as inexact", () => {
    expect(normalizeCoinbaseFill({ ...fill, size_in_quote: true, price: "2", size: "5" })).toMatchObject({ amount: "2.5", cost: "5", exact: true });
    expect(normalizeCoinbaseFill({ ...fill, size_in_quote: true, price: "3", size: "10" })).toMatchObject({ cost: "10", exact: false });
  });

  it("books no coin for a perpetual's fill and refuses what is not a fill", () => {
    expect(normalizeCoinbaseFill({ ...fill, product_id: "BTC-PERP-INTX", side: "SELL" })).toMatchObject({ product: "usdm", side: "sell", effects: {}, fee: { currency: "USDC" } });
    expect(() => normalizeCoinbaseFill({ ...fill, side: "buy" })).toThrow();
    expect(() => normalizeCoinbaseFill({ ...fill, trade_time: "yesterday" })).toThrow();
  });

  it("refuses another exchange's cursor", () => {
    expect(parseCoinbaseCursor(null)).toEqual({ exchange: "coinbase", version: 1, through: null, run: null });
    expect(() => parseCoinbaseCursor({ exchange: "gate", version: 1 })).toThrow();
  });
});

describe("binding a key whose secret is a PEM private key", () => {
  const pem = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIDoY9tSykH5cOhj21LKQflw6GPbUspB+XDoY9tSykH5coAoGCCqGSM49\nAwEHoUQDQgAEim2WYCZmZngp8EJzjKogsfbqI5UlnvMOuee25gdvFdB22wdf6Mn7\nkVDu0PPuzpW3gKEXGj/crufuD2gDIKaasw==\n-----END EC PRIVATE KEY-----\n";
  const bind = (secret: string) => bindKeySchema.safeParse({ exchange: "coinbase", label: "bot", apiKey: "organizations/o/apiKeys/k", secret });

  it("accepts it as pasted from the text area, with CRLF and indentation, or from the JSON key file's escapes", () => {
    expect(bind(pem)).toMatchObject({ success: true, data: { secret: pem } });
    expect(bind(`  ${pem.replace(/\n/g, "\r\n  ")}`)).toMatchObject({ success: true, data: { secret: pem } });
    expect(bind(pem.replace(/\n/g, "\\n"))).toMatchObject({ success: true, data: { secret: pem } });
    expect(normalizePem(pem.trimEnd())).toBe(pem);
  });

  it("refuses a cut-off key, and still refuses spaces in a one-line secret", () => {
    const cut = bind(pem.slice(0, 120));
    expect(cut.success).toBe(false);
    expect(cut.error?.issues[0]?.message).toMatch(/not complete/);
    expect(bind("abc def ghi").error?.issues[0]?.message).toMatch(/no spaces/);
    expect(bind("0123456789abcdef")).toMatchObject({ success: true, data: { secret: "0123456789abcdef" } });
  });

  it("is asked for in a text area, under Coinbase's own names", () => {
    expect(createCoinbaseAdapter().credentials).toMatchObject({ secretFormat: "pem", apiKeyLabel: "API key name", secretLabel: "Private key" });
  });
});

describe("Coinbase's guide and drawings", () => {
  const guide = createCoinbaseAdapter().guide;

  it("walks the CDP portal's seven steps and says the last one cannot prove the deletion", () => {
    expect(guide.steps.map((step) => step.id)).toEqual(["login", "open-api-management", "find-key-list", "locate-key", "delete", "verify", "confirm"]);
    expect(guide).toMatchObject({ exchangeId: "coinbase", displayName: "Coinbase", apiManagementUrl: "https://portal.cdp.coinbase.com/access/api", selfRevoke: null });
    expect(guide.steps[1]?.instructions).toMatch(/Access.*API Keys/);
    expect(guide.steps.at(-1)?.title).toBe("Confirm with Coinbase");
    expect(guide.steps.at(-1)?.instructions).toMatch(/stored key.*cannot say that a key is deleted/s);
  });

  it("draws every step as a described figure, with the key to find", () => {
    const keyInfo = { label: "MyITS bot", maskedKey: "orga…a1b2", createdAt: new Date("2024-03-05T12:00:00Z") };
    for (const stepId of guide.steps.map((step) => step.id)) {
      const html = renderToStaticMarkup(createElement(StepIllustration, { look: guide.look, stepId, keyInfo }));
      expect(html.match(/<figure/g)).toHaveLength(1);
      expect(html).toMatch(/role="img" aria-label="[^"]*not a screenshot[^"]*"/);
      expect(html).not.toMatch(/<(button|a|input|select|textarea)[\s>]|tabindex|\sid="/);
      if (stepId === "locate-key") expect(html).toContain("orga…a1b2");
      if (stepId === "open-api-management") expect(html).toMatch(/Access.*API Keys/s);
    }
  });
});
