import { describe, expect, it } from "vitest";
import { binancePermissions, candidateSymbols, normalizeBinanceTrade } from "@/lib/exchanges/binance";
import { bybitPermissions, normalizeBybitExecution } from "@/lib/exchanges/bybit";
import { ExchangeAdapterError } from "@/lib/exchanges/errors";
import { exactFromInfo } from "@/lib/exchanges/generic";
import { isNonZero, negateDecimal, plainNumber, toDate } from "@/lib/exchanges/normalize";
import { normalizeOkxFill, okxPermissions } from "@/lib/exchanges/okx";

describe("permissions in common words", () => {
  it("Binance apiRestrictions", () => {
    const raw = {
      ipRestrict: false,
      createTime: 1698645219000,
      enableReading: true,
      enableSpotAndMarginTrading: true,
      enableWithdrawals: false,
      enableInternalTransfer: false,
      enableMargin: false,
      enableFutures: true,
      permitsUniversalTransfer: true,
      enableVanillaOptions: true,
      enableFixApiTrade: false,
    };
    expect(binancePermissions(raw)).toEqual({
      read: true,
      spotTrade: true,
      marginTrade: false,
      futuresTrade: true,
      withdraw: false,
      transfer: true,
      other: ["enableVanillaOptions"],
    });
  });

  it("OKX perm string: trade covers spot, margin, derivatives and transfers", () => {
    expect(okxPermissions("read_only,trade,withdraw")).toEqual({
      read: true,
      spotTrade: true,
      marginTrade: true,
      futuresTrade: true,
      withdraw: true,
      transfer: true,
      other: [],
    });
    expect(okxPermissions("read_only")).toMatchObject({ read: true, spotTrade: false, withdraw: false, transfer: false });
  });

  it("Bybit permissions object, with readOnly overriding", () => {
    const permissions = {
      ContractTrade: ["Order", "Position"],
      Spot: ["SpotTrade"],
      Wallet: ["AccountTransfer", "SubMemberTransfer", "Withdraw"],
      Options: ["OptionsTrade"],
      Derivatives: [],
      Exchange: ["ExchangeHistory"],
      NFT: [],
    };
    expect(bybitPermissions(0, permissions)).toEqual({
      read: true,
      spotTrade: true,
      marginTrade: true,
      futuresTrade: true,
      withdraw: true,
      transfer: true,
      other: ["Exchange:ExchangeHistory", "Options:OptionsTrade"],
    });
    expect(bybitPermissions(1, permissions)).toMatchObject({ read: true, spotTrade: false, withdraw: false, transfer: false, futuresTrade: false });
  });
});

describe("trades keep the exchange's exact strings", () => {
  it("Binance myTrades", () => {
    const raw = {
      symbol: "BNBBTC",
      id: 28457,
      orderId: 100234,
      orderListId: -1,
      price: "4.00000100",
      qty: "12.00000000",
      quoteQty: "48.000012",
      commission: "10.10000000",
      commissionAsset: "BNB",
      time: 1499865549590,
      isBuyer: true,
      isMaker: false,
      isBestMatch: true,
    };
    expect(normalizeBinanceTrade(raw, { symbol: "BNB/BTC", baseId: "BNB", quoteId: "BTC" })).toEqual({
      id: "28457",
      orderId: "100234",
      product: "spot",
      market: "BNBBTC",
      symbol: "BNB/BTC",
      side: "buy",
      timestamp: 1499865549590,
      price: "4.00000100",
      amount: "12.00000000",
      cost: "48.000012",
      fee: { cost: "10.10000000", currency: "BNB" },
      maker: false,
      exact: true,
      // bought 12 BNB for 48.000012 BTC, paid 10.1 BNB of fees
      effects: { BNB: "1.9", BTC: "-48.000012" },
      raw,
    });
  });

  it("refuses a Binance record whose amounts are JSON numbers (their exact text is already lost)", () => {
    expect(() => normalizeBinanceTrade({ symbol: "X", id: 1, orderId: 1, price: 0.1, qty: "1", quoteQty: "1", commission: "0", commissionAsset: "X", time: 1, isBuyer: true, isMaker: true }, null)).toThrow(
      ExchangeAdapterError,
    );
  });

  it("OKX fills-history: cost is the exact product, the negative fee becomes a fee paid", () => {
    const raw = {
      instType: "SPOT",
      instId: "BTC-USDT",
      tradeId: "123",
      ordId: "456",
      billId: "789",
      fillPx: "67250.10",
      fillSz: "0.00300",
      side: "sell",
      execType: "M",
      fee: "-0.20175030",
      feeCcy: "USDT",
      ts: "1700000000000",
    };
    const { trade, billId } = normalizeOkxFill(raw);
    expect(billId).toBe("789");
    expect(trade).toMatchObject({
      id: "123",
      orderId: "456",
      market: "BTC-USDT",
      symbol: "BTC/USDT",
      side: "sell",
      price: "67250.10",
      amount: "0.00300",
      cost: "201.7503",
      fee: { cost: "0.20175030", currency: "USDT" },
      effects: { BTC: "-0.003", USDT: "201.5485497" },
      maker: true,
      timestamp: 1700000000000,
    });
  });

  it("Bybit execution list", () => {
    const raw = {
      symbol: "ETHUSDT",
      orderId: "o1",
      side: "Sell",
      execPrice: "3480.42",
      execQty: "0.0150",
      execValue: "52.2063",
      execFee: "0.0522063",
      feeCurrency: "USDT",
      execId: "e1",
      execTime: "1700000000123",
      isMaker: false,
    };
    expect(normalizeBybitExecution(raw, () => ({ symbol: "ETH/USDT", baseId: "ETH", quoteId: "USDT" }))).toMatchObject({
      id: "e1",
      market: "ETHUSDT",
      symbol: "ETH/USDT",
      side: "sell",
      price: "3480.42",
      amount: "0.0150",
      cost: "52.2063",
      fee: { cost: "0.0522063", currency: "USDT" },
      maker: false,
      timestamp: 1700000000123,
      // sold 0.015 ETH for 52.2063 USDT less the fee
      effects: { ETH: "-0.015", USDT: "52.1540937" },
    });
  });

  it("generic: finds the exchange's text for ccxt's float, or says it is not exact", () => {
    expect(exactFromInfo({ price: "0.10000000" }, 0.1, ["price"])).toEqual({ text: "0.10000000", exact: true });
    expect(exactFromInfo({ px: "3" }, 0.1, ["price", "px"])).toEqual({ text: "0.1", exact: false });
    expect(exactFromInfo({}, undefined, ["price"])).toBeNull();
  });
});

describe("Binance candidate symbols", () => {
  const markets = [
    { id: "BTCUSDT", baseId: "BTC", quoteId: "USDT", spot: true },
    { id: "ETHBTC", baseId: "ETH", quoteId: "BTC", spot: true },
    { id: "SOLETH", baseId: "SOL", quoteId: "ETH", spot: true },
    { id: "BTCUSDT_PERP", baseId: "BTC", quoteId: "USDT", spot: false },
  ];

  it("takes spot markets touching an asset the account held or moved, plus markets seen before", () => {
    expect(candidateSymbols(markets, new Set(["BTC"]), [], false)).toEqual(["BTCUSDT", "ETHBTC"]);
    expect(candidateSymbols(markets, new Set(), ["SOLETH"], false)).toEqual(["SOLETH"]);
    expect(candidateSymbols(markets, new Set(), [], true)).toEqual(["BTCUSDT", "ETHBTC", "SOLETH"]);
  });
});

describe("decimal helpers", () => {
  it("negates without touching digits, detects zero, reads dates", () => {
    expect(negateDecimal("-0.00100")).toBe("0.00100");
    expect(negateDecimal("0.5")).toBe("-0.5");
    expect(negateDecimal("0.000")).toBe("0.000");
    expect(isNonZero("0.00000000")).toBe(false);
    expect(isNonZero("0.00000001")).toBe(true);
    expect(toDate(1698645219000)?.toISOString()).toBe("2023-10-30T05:53:39.000Z");
    expect(toDate("2023-12-22T07:20:25Z")?.getTime()).toBe(Date.parse("2023-12-22T07:20:25Z"));
    expect(toDate("")).toBeNull();
    expect(toDate(0)).toBeNull();
    expect([1e-7, -2.5e-8, 1.5e21, 0.1, 42].map(plainNumber)).toEqual(["0.0000001", "-0.000000025", "1500000000000000000000", "0.1", "42"]);
  });
});
