// Gate's record shapes: the trade of GET /api/v4/spot/my_trades, the pair of
// /api/v4/spot/currency_pairs and the key of GET /api/v4/account/main_keys, from Gate's
// documented examples and ccxt's recorded responses. Times are strings of seconds
// (create_time) and of milliseconds with a fraction (create_time_ms); the fee leaves in the
// currency received (base on a buy, quote on a sell).

import { listMarkets, marketId } from "../catalogue";
import { toPlain } from "../decimal";
import { hashInts } from "../hash";
import type { KeyRecord } from "../keys";
import type { TradeCore, TradeHistory } from "../trades";
import type { SimProduct, SimTrade } from "../types";

const TAKER_RATE = { units: 2n, scale: 3 }; // 0.2 %
const MAKER_RATE = { units: 15n, scale: 4 }; // 0.15 %

const PRODUCT_CODE: Partial<Record<SimProduct, number>> = { spot: 0, margin: 1, isolated_margin: 2 };
/** The `account` each product's trades are asked for with. */
export const GATE_ACCOUNT: Partial<Record<SimProduct, string>> = { spot: "spot", margin: "cross_margin", isolated_margin: "margin" };

/** Trade id: increasing with the history's index, unique per product. */
export function gateTradeId(h: TradeHistory, i: number): string {
  return String((1 + (PRODUCT_CODE[h.product] ?? 0)) * 10_000_000_000_000 + (h.seed % 100_000) * 100_000_000 + i * 11 + (hashInts(h.seed, i, 0x6a7e) % 11));
}

export function gateTrade(h: TradeHistory, t: TradeCore): SimTrade {
  const spec = h.markets[t.market]!;
  const rate = t.maker ? MAKER_RATE : TAKER_RATE;
  const quoteScale = spec.priceDecimals + spec.qtyDecimals;
  const fee =
    t.side === "buy"
      ? { units: t.qtyUnits * rate.units, scale: spec.qtyDecimals + rate.scale, ccy: spec.base }
      : { units: t.quoteUnits * rate.units, scale: quoteScale + rate.scale, ccy: spec.quote };
  const pair = marketId("gate", spec);
  const micros = hashInts(h.seed, t.index, 0x3c) % 1000;
  const raw = {
    id: gateTradeId(h, t.index),
    create_time: String(Math.floor(t.time / 1000)),
    create_time_ms: `${t.time}.${String(micros).padStart(3, "0")}`,
    currency_pair: pair,
    side: t.side,
    role: t.maker ? "maker" : "taker",
    amount: toPlain(t.qtyUnits, spec.qtyDecimals),
    price: toPlain(t.priceUnits, spec.priceDecimals),
    order_id: String(300_000_000_000 + (PRODUCT_CODE[h.product] ?? 0) * 50_000_000_000 + spec.index * 1_000_000_000 + t.orderPos * 3),
    fee: toPlain(fee.units, fee.scale),
    fee_currency: fee.ccy,
    point_fee: "0",
    gt_fee: "0",
    amend_text: "-",
    sequence_id: String(1_000_000 + t.index),
    text: "web",
    deal: toPlain(t.quoteUnits, quoteScale),
  };
  return {
    exchange: "gate",
    id: raw.id,
    orderId: raw.order_id,
    symbol: pair,
    base: spec.base,
    quote: spec.quote,
    side: t.side,
    takerOrMaker: t.maker ? "maker" : "taker",
    price: raw.price,
    amount: raw.amount,
    cost: raw.deal,
    fee: toPlain(fee.units, fee.scale),
    feeCurrency: fee.ccy,
    timestamp: t.time,
    product: h.product,
    raw,
  };
}

/** GET /api/v4/spot/currency_pairs items. */
export function gatePairs(): Record<string, unknown>[] {
  return listMarkets("gate").map((m) => ({
    id: marketId("gate", m),
    base: m.base,
    base_name: m.base,
    quote: m.quote,
    quote_name: m.quote,
    fee: "0.2",
    min_base_amount: toPlain(m.minQtyUnits, m.qtyDecimals),
    min_quote_amount: "3",
    amount_precision: m.qtyDecimals,
    precision: m.priceDecimals,
    trade_status: "tradable",
    sell_start: 0,
    buy_start: 0,
    type: "normal",
  }));
}

/** GET /api/v4/account/main_keys: the calling key, Gate's AccountKeyInfo. */
export function gateKeyInfo(r: KeyRecord): Record<string, unknown> {
  const k = r.key;
  const p = k.permissions;
  const perms = p.read
    ? [
        { name: "wallet", read_only: !(p.withdraw || p.transfer) },
        { name: "spot", read_only: !p.spotTrade },
        { name: "margin", read_only: !p.marginTrade },
        { name: "futures", read_only: !p.futuresTrade },
      ]
    : [];
  const seconds = (d: Date) => String(Math.floor(d.getTime() / 1000));
  return {
    state: 1,
    mode: 1,
    name: [k.label],
    currency_pairs: [],
    user_id: 10_000_000 + (r.tradeSeed % 90_000_000),
    ip_whitelist: [...k.ipWhitelist],
    perms,
    key: { mode: 1 },
    created_at: seconds(k.createdAt),
    updated_at: seconds(k.createdAt),
    last_access: String(Math.floor(Date.now() / 1000)),
  };
}
