import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { getAdapter, isSupportedExchange, supportedExchanges } from "@/lib/exchanges/registry";

describe("registry", () => {
  it("lists the full adapters first, then other ccxt exchanges whose keys fit our form", () => {
    const list = supportedExchanges();
    expect(list.slice(0, 8).map((e) => [e.id, e.requiresPassphrase, e.full])).toEqual([
      ["binance", false, true],
      ["okx", true, true],
      ["bybit", false, true],
      ["kucoin", true, true],
      ["gate", false, true],
      ["bitget", true, true],
      ["coinbase", false, true],
      ["kraken", false, true],
    ]);
    const byId = new Map(list.map((e) => [e.id, e]));
    expect(byId.get("bitstamp")).toMatchObject({ displayName: "Bitstamp", requiresPassphrase: false, full: false });
    expect(byId.get("kucoin")?.requiresPassphrase).toBe(true);
    // wallet-signing exchanges need credentials we do not collect
    expect(byId.has("hyperliquid")).toBe(false);
    expect(isSupportedExchange("bitstamp")).toBe(true);
    expect(isSupportedExchange("nope")).toBe(false);
    // the generic list is made by constructing every ccxt class once: seconds on a loaded machine
  }, 20_000);

  it("hands out adapters with guides; unknown ids are NOT_FOUND", () => {
    expect(getAdapter("binance")).toMatchObject({ id: "binance", full: true, requiresPassphrase: false });
    expect(getAdapter("okx").requiresPassphrase).toBe(true);
    expect(getAdapter("bybit").revokeSelf).toBeTypeOf("function");
    expect(getAdapter("binance").revokeSelf).toBeUndefined();
    const bitstamp = getAdapter("bitstamp");
    expect(bitstamp).toMatchObject({ id: "bitstamp", full: false });
    expect(bitstamp.guide.apiManagementUrl).toMatch(/^https:\/\//);
    expect(() => getAdapter("nope")).toThrow(AppError);
  });

  it("looks ids up as own entries only: Object.prototype's names are unsupported exchanges, a 400", () => {
    for (const id of ["constructor", "__proto__", "toString", "tostring", "hasOwnProperty", "valueOf", "prototype"]) {
      expect(isSupportedExchange(id)).toBe(false);
      expect(() => getAdapter(id)).toThrow(
        expect.objectContaining({ code: "BAD_REQUEST", message: `Exchange "${id}" is not supported: choose one from the list.`, details: { field: "exchange" } }),
      );
    }
  });
});

describe("guides", () => {
  it("walk the exchange's real flow and name its verification", () => {
    for (const id of ["binance", "okx", "bybit", "kucoin", "gate", "bitget", "coinbase", "kraken"]) {
      const guide = getAdapter(id).guide;
      // the exchange's own site (Coinbase keeps its keys on the CDP portal, not www)
      expect(new URL(guide.apiManagementUrl).protocol).toBe("https:");
      expect(guide.steps.length).toBeGreaterThanOrEqual(5);
      expect(guide.steps.at(-1)?.title).toMatch(/Confirm/);
    }
    expect(getAdapter("binance").guide.verification.join(" ")).toMatch(/2FA.*Email.*Passkey/s);
    expect(getAdapter("bybit").guide.selfRevoke?.requiresAnyOf).toEqual(["transfer", "withdraw"]);
    expect(getAdapter("okx").guide.selfRevoke).toBeNull();
  });
});
