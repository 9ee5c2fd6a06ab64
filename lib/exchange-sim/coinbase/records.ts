// Coinbase Advanced Trade's record shapes, from its API reference and ccxt's recorded
// responses: the fill of GET /api/v3/brokerage/orders/historical/fills, the account of
// GET /api/v3/brokerage/accounts and the answer of GET /api/v3/brokerage/key_permissions.
// Fills carry UUIDs for trade, order and entry ids, RFC 3339 times (trade_time, and the
// microsecond sequence_timestamp the endpoint filters on), BUY/SELL sides and a commission in
// the quote currency (USDC for the perpetuals, which settle in it).
// https://docs.cdp.coinbase.com/api-reference/advanced-trade-api/rest-api/orders/list-fills

import { AMOUNT_SCALE } from "../account";
import { marketId } from "../catalogue";
import { toPlain } from "../decimal";
import { hashInts } from "../hash";
import type { KeyRecord } from "../keys";
import type { TradeCore, TradeHistory } from "../trades";
import type { SimProduct, SimTrade } from "../types";
import { PERP_SETTLEMENT, PERP_SUFFIX } from "./listing";

const TAKER_RATE = { units: 6n, scale: 3 }; // 0.6 %, Coinbase's entry tier
const MAKER_RATE = { units: 4n, scale: 3 }; // 0.4 %
const PERP_TAKER = { units: 3n, scale: 4 }; // 0.03 %
const PERP_MAKER = { units: 1n, scale: 4 };

/** The order products are merged in when fills share a sequence time (spot first). */
export const PRODUCT_RANK: Partial<Record<SimProduct, number>> = { spot: 0, usdm: 1 };

const hex = (n: number, digits: number) => (n >>> 0).toString(16).padStart(8, "0").slice(-digits);

/** A UUID unique per (seed, product, kind, index): the index sits in the last group, the rest varies with the seed. */
function uuidOf(seed: number, product: number, kind: number, index: number): string {
  const a = hashInts(seed, product, kind, 0xc0);
  const b = hashInts(seed, index, kind, 0xc1);
  return `${hex(a, 8)}-${hex(b, 4)}-4${hex(b >>> 16, 3)}-${(8 + (kind & 3)).toString(16)}${hex(a >>> 8, 3)}-${String(product)}${index.toString(16).padStart(11, "0")}`;
}

export function portfolioUuid(r: KeyRecord): string {
  return uuidOf(r.tradeSeed, 9, 7, 0);
}

function userId(h: TradeHistory): string {
  return uuidOf(h.seed, 9, 8, 0);
}

/** RFC 3339 with microseconds, as Coinbase writes sequence_timestamp. */
function micros(time: number, extra: number): string {
  return `${new Date(time).toISOString().slice(0, 23)}${String(extra).padStart(3, "0")}Z`;
}

export function coinbaseFill(h: TradeHistory, t: TradeCore): SimTrade {
  const spec = h.markets[t.market]!;
  const perp = spec.quote === PERP_SUFFIX;
  const rank = PRODUCT_RANK[h.product] ?? 0;
  const rate = perp ? (t.maker ? PERP_MAKER : PERP_TAKER) : t.maker ? MAKER_RATE : TAKER_RATE;
  const quoteScale = spec.priceDecimals + spec.qtyDecimals;
  const feeCurrency = perp ? PERP_SETTLEMENT : spec.quote;
  const commission = toPlain(t.quoteUnits * rate.units, quoteScale + rate.scale);
  const productId = marketId("coinbase", spec);
  const raw = {
    entry_id: uuidOf(h.seed, rank, 1, t.index),
    trade_id: uuidOf(h.seed, rank, 2, t.index),
    order_id: uuidOf(h.seed, rank, 3, t.orderPos * 64 + spec.index),
    trade_time: new Date(t.time).toISOString(),
    trade_type: "FILL",
    price: toPlain(t.priceUnits, spec.priceDecimals),
    size: toPlain(t.qtyUnits, spec.qtyDecimals),
    commission,
    product_id: productId,
    sequence_timestamp: micros(t.time, hashInts(h.seed, t.index, 0x5e) % 1000),
    liquidity_indicator: t.maker ? "MAKER" : "TAKER",
    size_in_quote: false,
    user_id: userId(h),
    side: t.side === "buy" ? "BUY" : "SELL",
    retail_portfolio_id: uuidOf(h.seed, 9, 7, 0),
  };
  return {
    exchange: "coinbase",
    id: raw.trade_id,
    orderId: raw.order_id,
    symbol: productId,
    base: spec.base,
    quote: perp ? PERP_SETTLEMENT : spec.quote,
    side: t.side,
    takerOrMaker: t.maker ? "maker" : "taker",
    price: raw.price,
    amount: raw.size,
    cost: toPlain(t.quoteUnits, quoteScale),
    fee: commission,
    feeCurrency,
    timestamp: t.time,
    product: h.product,
    raw,
  };
}

/** GET /api/v3/brokerage/key_permissions: what the calling key may do, in Coinbase's three scopes. */
export function coinbaseKeyPermissions(r: KeyRecord): Record<string, unknown> {
  const p = r.key.permissions;
  return {
    can_view: p.read,
    can_trade: p.spotTrade || p.marginTrade || p.futuresTrade,
    can_transfer: p.transfer || p.withdraw,
    portfolio_uuid: portfolioUuid(r),
    portfolio_type: "DEFAULT",
  };
}

/** The accounts (one per currency) of GET /api/v3/brokerage/accounts, from the key's holdings. */
export function coinbaseAccounts(r: KeyRecord): Record<string, unknown>[] {
  const created = r.key.createdAt.toISOString();
  return r.account().holdings.map((holding, i) => ({
    uuid: uuidOf(r.tradeSeed, 8, 4, i),
    name: `${holding.asset} Wallet`,
    currency: holding.asset,
    available_balance: { value: toPlain(holding.free, AMOUNT_SCALE), currency: holding.asset },
    default: true,
    active: true,
    created_at: created,
    updated_at: created,
    deleted_at: null,
    type: "ACCOUNT_TYPE_CRYPTO",
    ready: true,
    hold: { value: toPlain(holding.locked, AMOUNT_SCALE), currency: holding.asset },
    retail_portfolio_id: portfolioUuid(r),
    platform: "ACCOUNT_PLATFORM_CONSUMER",
  }));
}
