// OKX's record shapes: SPOT instruments, fills, balances, currencies, and the id scheme (billId
// increases across the whole account, which is what the after/before cursors page over).

import { AMOUNT_SCALE, networkOf, type Holding } from "../account";
import { assetName, assetUsdUnits, listMarkets, marketId, type MarketSpec } from "../catalogue";
import { pow10, rescale, toPlain } from "../decimal";
import { hashInts } from "../hash";
import type { KeyRecord } from "../keys";
import type { TradeCore, TradeHistory } from "../trades";
import type { SimPermissions, SimTrade } from "../types";

const TAKER_RATE = { units: 1n, scale: 3 }; // 0.1 %
const MAKER_RATE = { units: 8n, scale: 4 }; // 0.08 %

function unit(decimals: number): string {
  return toPlain(1n, decimals);
}

export function instrument(m: MarketSpec): Record<string, unknown> {
  return {
    alias: "",
    auctionEndTime: "",
    baseCcy: m.base,
    category: "1",
    ctMult: "",
    ctType: "",
    ctVal: "",
    ctValCcy: "",
    expTime: "",
    futureSettlement: false,
    instFamily: "",
    instId: marketId("okx", m),
    instType: "SPOT",
    lever: m.quote === "USDT" ? "10" : "",
    listTime: String(m.listTime),
    lotSz: unit(m.qtyDecimals),
    maxIcebergSz: "9999999999.0000000000000000",
    maxLmtAmt: "20000000",
    maxLmtSz: "9999999999",
    maxMktAmt: "1000000",
    maxMktSz: "1000000",
    maxStopSz: "1000000",
    maxTriggerSz: "9999999999",
    maxTwapSz: "9999999999",
    minSz: toPlain(m.minQtyUnits, m.qtyDecimals),
    optType: "",
    quoteCcy: m.quote,
    ruleType: "normal",
    settleCcy: "",
    state: "live",
    stk: "",
    tickSz: unit(m.priceDecimals),
    uly: "",
  };
}

export function spotInstruments(): Record<string, unknown>[] {
  return listMarkets("okx").map(instrument);
}

/** Product codes inside ids, so fills of different instTypes never share one. */
const PRODUCT_CODE: Record<string, bigint> = { spot: 0n, margin: 1n, usdm: 2n, coinm: 3n, option: 4n };

/** billId: increasing across all of the account's fills. 18 digits, hence BigInt. */
export function okxBillId(h: TradeHistory, i: number): bigint {
  // Multi-product accounts: from the fill time, so billIds order across instTypes too.
  if (h.accountWideIds) return 600_000_000_000_000_000n + BigInt(h.time(i)) * 1000n + (PRODUCT_CODE[h.product] ?? 0n) * 10n;
  return 600_000_000_000_000_000n + BigInt(h.seed % 1_000_000) * 100_000_000_000n + BigInt(i) * 4099n + BigInt(hashInts(h.seed, i, 0x5a17) % 4099);
}

/** tradeId: increasing within an instrument. */
function okxTradeId(h: TradeHistory, market: number, i: number): number {
  const spec = h.markets[market]!;
  // MARGIN and SPOT trade on one book: margin tradeIds get a range of their own.
  return (h.product === "margin" ? 5_000_000_000 : 0) + 100_000_000 * (1 + (spec.index % 30)) + i * 13 + (hashInts(h.seed, i, 0x7d) % 13);
}

const ORD_BASE = 700_000_000_000_000_000n;
const ORD_MARKET = 10_000_000_000_000n;

const ORD_PRODUCT = 10_000_000_000_000_000n;

export function okxOrderId(h: TradeHistory, market: number, orderPos: number): bigint {
  return ORD_BASE + (PRODUCT_CODE[h.product] ?? 0n) * ORD_PRODUCT + BigInt(h.markets[market]!.index) * ORD_MARKET + BigInt(orderPos) * 7n + 1n;
}

/** Inverse of okxOrderId, or undefined for an id of another market or account. */
export function decodeOkxOrderId(h: TradeHistory, ordId: bigint): { market: number; orderPos: number } | undefined {
  const offset = ordId - ORD_BASE - (PRODUCT_CODE[h.product] ?? 0n) * ORD_PRODUCT;
  if (offset < 0n || offset >= ORD_PRODUCT) return undefined;
  const specIndex = Number(offset / ORD_MARKET);
  const rest = offset % ORD_MARKET;
  if (rest < 1n || (rest - 1n) % 7n !== 0n) return undefined;
  const market = h.markets.findIndex((m) => m.index === specIndex);
  return market < 0 ? undefined : { market, orderPos: Number((rest - 1n) / 7n) };
}

export function okxTrade(h: TradeHistory, t: TradeCore): SimTrade {
  const spec = h.markets[t.market]!;
  const rate = t.maker ? MAKER_RATE : TAKER_RATE;
  const quoteScale = spec.priceDecimals + spec.qtyDecimals;
  // The fee is taken from what is received (base on a buy, quote on a sell), exact, negative.
  const fee =
    t.side === "buy"
      ? { units: t.qtyUnits * rate.units, scale: spec.qtyDecimals + rate.scale, ccy: spec.base }
      : { units: t.quoteUnits * rate.units, scale: quoteScale + rate.scale, ccy: spec.quote };
  const instId = marketId("okx", spec);
  const tradeId = String(okxTradeId(h, t.market, t.index));
  const ordId = String(okxOrderId(h, t.market, t.orderPos));
  const ts = String(t.time);
  const raw = {
    side: t.side,
    fillSz: toPlain(t.qtyUnits, spec.qtyDecimals),
    fillPx: toPlain(t.priceUnits, spec.priceDecimals),
    fillPxVol: "",
    fillFwdPx: "",
    fee: toPlain(-fee.units, fee.scale),
    fillPnl: "0",
    ordId,
    feeRate: toPlain(-rate.units, rate.scale),
    instType: "SPOT",
    fillPxUsd: "",
    instId,
    clOrdId: "",
    posSide: "net",
    billId: String(okxBillId(h, t.index)),
    subType: t.side === "buy" ? "1" : "2",
    fillMarkVol: "",
    tag: "",
    fillTime: ts,
    execType: t.maker ? "M" : "T",
    fillIdxPx: "",
    tradeId,
    fillMarkPx: "",
    feeCcy: fee.ccy,
    tradeQuoteCcy: spec.quote,
    ts,
  };
  return {
    exchange: "okx",
    id: tradeId,
    orderId: ordId,
    symbol: instId,
    base: spec.base,
    quote: spec.quote,
    side: t.side,
    takerOrMaker: t.maker ? "maker" : "taker",
    price: raw.fillPx,
    amount: raw.fillSz,
    cost: toPlain(t.quoteUnits, quoteScale),
    fee: toPlain(fee.units, fee.scale),
    feeCurrency: fee.ccy,
    timestamp: t.time,
    product: "spot",
    raw,
  };
}

export function balanceDetails(holdings: Holding[], filter: Set<string> | undefined, now: number, scale = AMOUNT_SCALE): Record<string, unknown>[] {
  return holdings
    .filter((x) => (x.free !== 0n || x.locked !== 0n) && (!filter || filter.has(x.asset)))
    .map((x) => {
      const total = x.free + x.locked;
      const usd = (total * assetUsdUnits(x.asset, scale)) / pow10(scale);
      return {
        availBal: toPlain(x.free, scale),
        availEq: toPlain(x.free, scale),
        borrowFroz: "",
        cashBal: toPlain(total, scale),
        ccy: x.asset,
        crossLiab: "",
        disEq: toPlain(usd, scale),
        eq: toPlain(total, scale),
        eqUsd: toPlain(rescale(usd, scale, 4), 4),
        fixedBal: "0",
        frozenBal: toPlain(x.locked, scale),
        imr: "",
        interest: "",
        isoEq: "0",
        isoLiab: "",
        isoUpl: "",
        liab: "",
        maxLoan: "",
        mgnRatio: "",
        mmr: "",
        notionalLever: "",
        ordFrozen: toPlain(x.locked, scale),
        rewardBal: "0",
        spotInUseAmt: "",
        spotIsoBal: "0",
        stgyEq: "0",
        twap: "0",
        uTime: String(now),
        upl: "",
        uplLiab: "",
      };
    });
}

export function currency(asset: string): Record<string, unknown> {
  return {
    burningFeeRate: "",
    canDep: true,
    canInternal: true,
    canWd: true,
    ccy: asset,
    chain: `${asset}-${networkOf(asset)}`,
    depEstOpenTime: "",
    depQuotaFixed: "",
    depQuoteDailyLayer2: "",
    fee: "0.0001",
    logoLink: "",
    mainNet: true,
    maxFee: "0.0002",
    maxFeeForCtAddr: "",
    maxWd: "10000000",
    minDep: "0.00000001",
    minDepArrivalConfirm: "12",
    minFee: "0.0001",
    minFeeForCtAddr: "",
    minInternal: "0.0001",
    minWd: "0.001",
    minWdUnlockConfirm: "24",
    name: assetName(asset),
    needTag: false,
    usedDepQuotaFixed: "",
    usedWdQuota: "0",
    wdEstOpenTime: "",
    wdQuota: "10000000",
    wdTickSz: "8",
  };
}

export function okxPerm(p: SimPermissions): string {
  const parts: string[] = [];
  if (p.read) parts.push("read_only");
  if (p.spotTrade || p.marginTrade || p.futuresTrade) parts.push("trade");
  if (p.withdraw) parts.push("withdraw");
  return parts.join(",");
}

export function accountConfig(r: KeyRecord): Record<string, unknown> {
  const uid = String(44_705_892_343_619_584n + BigInt(r.ordinal));
  return {
    acctLv: "2",
    acctStpMode: "cancel_maker",
    autoLoan: false,
    ctIsoMode: "automatic",
    enableSpotBorrow: false,
    greeksType: "PA",
    ip: r.key.ipWhitelist.join(","),
    kycLv: "2",
    label: r.key.label,
    level: "Lv1",
    levelTmp: "",
    liquidationGear: "-1",
    mainUid: uid,
    mgnIsoMode: "automatic",
    opAuth: "0",
    perm: okxPerm(r.key.permissions),
    posMode: "net_mode",
    roleType: "0",
    spotBorrowAutoRepay: false,
    spotOffsetType: "",
    spotRoleType: "0",
    spotTraderInsts: [],
    traderInsts: [],
    type: "0",
    uid,
  };
}
