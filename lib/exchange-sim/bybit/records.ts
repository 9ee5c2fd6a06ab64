// Bybit v5 record shapes: spot instruments, execution/list items, the unified wallet, coin info
// and the query-api description of a key, with Bybit's permission vocabulary.

import { AMOUNT_SCALE, networkOf, type Holding } from "../account";
import { assetName, assetUsdUnits, listMarkets, marketId, type MarketSpec } from "../catalogue";
import { pow10, rescale, toPlain } from "../decimal";
import { hashInts } from "../hash";
import type { KeyRecord } from "../keys";
import type { TradeCore, TradeHistory } from "../trades";
import type { SimTrade } from "../types";

const FEE_RATE = { units: 1n, scale: 3 }; // 0.1 %, maker and taker alike on spot

export function spotInstrument(m: MarketSpec): Record<string, unknown> {
  return {
    symbol: marketId("bybit", m),
    baseCoin: m.base,
    quoteCoin: m.quote,
    innovation: "0",
    status: "Trading",
    marginTrading: m.quote === "USDT" ? "utaOnly" : "none",
    stTag: "0",
    lotSizeFilter: {
      basePrecision: toPlain(1n, m.qtyDecimals),
      quotePrecision: toPlain(1n, 8),
      minOrderQty: toPlain(m.minQtyUnits, m.qtyDecimals),
      maxOrderQty: "9000000",
      minOrderAmt: "5",
      maxOrderAmt: "2000000",
    },
    priceFilter: { tickSize: toPlain(1n, m.priceDecimals) },
    riskParameters: { priceLimitRatioX: "0.05", priceLimitRatioY: "0.1" },
  };
}

export function spotInstruments(): Record<string, unknown>[] {
  return listMarkets("bybit").map(spotInstrument);
}

/** Categories get id ranges of their own (spot 0, as before). */
const PRODUCT_CODE: Record<string, bigint> = { spot: 0n, usdm: 1n, coinm: 2n, option: 3n };

/** execId: 19-digit numbers (spot), increasing across the account. */
function bybitExecId(h: TradeHistory, i: number): bigint {
  return 2_100_000_000_000_000_000n + (PRODUCT_CODE[h.product] ?? 0n) * 100_000_000_000_000_000n + BigInt(h.seed % 100_000) * 10_000_000_000n + BigInt(i) * 1009n + BigInt(hashInts(h.seed, i, 0x5a17) % 1009);
}

function bybitOrderId(h: TradeHistory, market: number, orderPos: number): bigint {
  return 1_500_000_000_000_000_000n + (PRODUCT_CODE[h.product] ?? 0n) * 100_000_000_000_000_000n + BigInt(h.markets[market]!.index) * 10_000_000_000_000n + BigInt(orderPos) * 7n + 5n;
}

export function bybitTrade(h: TradeHistory, t: TradeCore): SimTrade {
  const spec = h.markets[t.market]!;
  const quoteScale = spec.priceDecimals + spec.qtyDecimals;
  const fee =
    t.side === "buy"
      ? { units: t.qtyUnits * FEE_RATE.units, scale: spec.qtyDecimals + FEE_RATE.scale, ccy: spec.base }
      : { units: t.quoteUnits * FEE_RATE.units, scale: quoteScale + FEE_RATE.scale, ccy: spec.quote };
  const symbol = marketId("bybit", spec);
  const execId = String(bybitExecId(h, t.index));
  const orderId = String(bybitOrderId(h, t.market, t.orderPos));
  const price = toPlain(t.priceUnits, spec.priceDecimals);
  const qty = toPlain(t.qtyUnits, spec.qtyDecimals);
  const raw = {
    symbol,
    orderType: t.maker ? "Limit" : "Market",
    underlyingPrice: "",
    orderLinkId: "",
    orderId,
    stopOrderType: "",
    execTime: String(t.time),
    feeCurrency: fee.ccy,
    createType: "",
    feeRate: toPlain(FEE_RATE.units, FEE_RATE.scale),
    tradeIv: "",
    blockTradeId: "",
    markPrice: "",
    execPrice: price,
    markIv: "",
    orderQty: qty,
    orderPrice: t.maker ? price : "",
    execValue: toPlain(t.quoteUnits, quoteScale),
    closedSize: "",
    execType: "Trade",
    seq: 10_000_000_000 + t.index * 3,
    side: t.side === "buy" ? "Buy" : "Sell",
    indexPrice: "",
    leavesQty: "0",
    isMaker: t.maker,
    execFee: toPlain(fee.units, fee.scale),
    execId,
    marketUnit: "",
    execQty: qty,
    extraFees: "",
  };
  return {
    exchange: "bybit",
    id: execId,
    orderId,
    symbol,
    base: spec.base,
    quote: spec.quote,
    side: t.side,
    takerOrMaker: t.maker ? "maker" : "taker",
    price,
    amount: qty,
    cost: raw.execValue,
    fee: raw.execFee,
    feeCurrency: fee.ccy,
    timestamp: t.time,
    product: "spot",
    raw,
  };
}

export function walletBalance(holdings: Holding[], filter: Set<string> | undefined, scale = AMOUNT_SCALE): Record<string, unknown> {
  let totalUsd = 0n;
  const coin = holdings
    .filter((x) => (x.free !== 0n || x.locked !== 0n) && (!filter || filter.has(x.asset)))
    .map((x) => {
      const total = x.free + x.locked;
      const usd = (total * assetUsdUnits(x.asset, scale)) / pow10(scale);
      totalUsd += usd;
      return {
        availableToBorrow: "",
        bonus: "0",
        accruedInterest: "0",
        availableToWithdraw: toPlain(x.free, scale),
        totalOrderIM: "0",
        equity: toPlain(total, scale),
        totalPositionMM: "0",
        usdValue: toPlain(rescale(usd, scale, 4), 4),
        spotHedgingQty: "0",
        unrealisedPnl: "0",
        collateralSwitch: true,
        borrowAmount: "0",
        totalPositionIM: "0",
        walletBalance: toPlain(total, scale),
        cumRealisedPnl: "0",
        locked: toPlain(x.locked, scale),
        marginCollateral: true,
        coin: x.asset,
      };
    });
  const usd = toPlain(rescale(totalUsd, scale, 4), 4);
  return {
    list: [
      {
        totalEquity: usd,
        accountIMRate: "0",
        totalMarginBalance: usd,
        totalInitialMargin: "0",
        accountType: "UNIFIED",
        totalAvailableBalance: usd,
        accountMMRate: "0",
        totalPerpUPL: "0",
        totalWalletBalance: usd,
        accountLTV: "0",
        totalMaintenanceMargin: "0",
        coin,
      },
    ],
  };
}

export function coinInfo(asset: string): Record<string, unknown> {
  return {
    name: assetName(asset),
    coin: asset,
    remainAmount: "1000000",
    chains: [
      {
        chainType: networkOf(asset),
        confirmation: "12",
        withdrawFee: "0.0005",
        depositMin: "0",
        withdrawMin: "0.001",
        chain: networkOf(asset),
        chainDeposit: "1",
        chainWithdraw: "1",
        minAccuracy: "8",
        withdrawPercentageFee: "0",
        contractAddress: "",
        safeConfirmNumber: "6",
      },
    ],
  };
}

/** Bybit's permission groups for a key's normalised permissions. */
export function bybitPermissions(r: KeyRecord): Record<string, string[]> {
  const p = r.key.permissions;
  return {
    ContractTrade: p.futuresTrade ? ["Order", "Position"] : [],
    Spot: p.spotTrade || p.marginTrade ? ["SpotTrade"] : [],
    Wallet: [...(p.transfer ? ["AccountTransfer", "SubMemberTransfer"] : []), ...(p.withdraw ? ["Withdraw"] : [])],
    Options: p.futuresTrade ? ["OptionsTrade"] : [],
    Derivatives: p.futuresTrade ? ["DerivativesTrade"] : [],
    CopyTrading: [],
    BlockTrade: [],
    Exchange: p.read ? ["ExchangeHistory"] : [],
    NFT: [],
    Affiliate: [],
    Earn: [],
  };
}

/** Whether delete-api may be called: Bybit asks for Account Transfer, Subaccount Transfer or Withdrawal. */
export function mayDeleteItself(r: KeyRecord): boolean {
  return r.key.permissions.transfer || r.key.permissions.withdraw;
}

/** "2022-10-16T02:24:40Z": Bybit's key times have no milliseconds. */
function isoSeconds(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

export function queryApi(r: KeyRecord, now: number): Record<string, unknown> {
  const k = r.key;
  const p = k.permissions;
  const readOnly = !(p.spotTrade || p.marginTrade || p.futuresTrade || p.withdraw || p.transfer);
  const expires = k.expiresAt;
  return {
    id: String(13_770_000 + r.ordinal),
    note: k.label,
    apiKey: k.apiKey,
    readOnly: readOnly ? 1 : 0,
    secret: "",
    permissions: bybitPermissions(r),
    ips: k.ipWhitelist.length > 0 ? [...k.ipWhitelist] : ["*"],
    type: 1,
    // Keys without an expiry (IP-bound ones on Bybit) report deadlineDay -1 and no date.
    deadlineDay: expires ? Math.max(0, Math.ceil((expires.getTime() - now) / 86_400_000)) : -1,
    expiredAt: expires ? isoSeconds(expires) : "",
    createdAt: isoSeconds(k.createdAt),
    unified: 0,
    uta: 1,
    userID: 24_600_000 + r.ordinal,
    inviterID: 0,
    vipLevel: "No VIP",
    mktMakerLevel: "0",
    affiliateID: 0,
    rsaPublicKey: "",
    isMaster: true,
    parentUid: "0",
    kycLevel: "LEVEL_DEFAULT",
    kycRegion: "",
  };
}
