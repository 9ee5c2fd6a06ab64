// API keys of the simulated exchanges: creation with each exchange's key format, deletion
// (remembered, because exchanges answer a deleted key differently from a mistyped one),
// restriction, and the lazily generated trade history and account behind each key.

import { randomBytes } from "node:crypto";
import { buildAccount, type AccountFacts } from "./account";
import { listMarkets, marketId as marketIdOf, type MarketSpec } from "./catalogue";
import { HashStream, hashInts, hashString } from "./hash";
import { completeAccountFacts } from "./complete-account";
import { gateCredentials } from "./gate/listing";
import { kucoinCredentials } from "./kucoin/listing";
import { buildProductHistory } from "./products";
import { DAY_MS, TradeHistory } from "./trades";
import type { SimExchange, SimKey, SimKeyOptions, SimLedgerOptions, SimPermissions, SimProduct, SimTradeOptions } from "./types";

export const DEFAULT_PERMISSIONS: SimPermissions = {
  read: true,
  spotTrade: true,
  marginTrade: false,
  futuresTrade: false,
  withdraw: false,
  transfer: false,
};

/** Used when a key is created without `trades`: small, so nothing is slow by default. */
const DEFAULT_TRADES = { count: 120, markets: 4 };

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX = "0123456789ABCDEF";

export interface KeyRecord {
  key: SimKey;
  ordinal: number;
  tradeSeed: number;
  tradeOptions: { count: number; markets: number; startTime: number; endTime: number };
  /** The spot history (the original one). */
  history(): TradeHistory;
  /** A product's history, or undefined when the key has none in that product. */
  historyOf(product: SimProduct): TradeHistory | undefined;
  /** Products with a history, spot first. */
  products: SimProduct[];
  /** Created with `trades.products` or `ledger`: balances follow from the records. */
  complete: boolean;
  ledgerOptions: Required<SimLedgerOptions>;
  /** Spot market ids (exchange ids) this key's ledger delisted. */
  delisted: string[];
  /** Balances, deposits and withdrawals: drawn independently (legacy) or from the records (complete). */
  account(): AccountFacts;
  /** Lazily built, cached per key: derived views (ledgers) that cost a pass over the history. */
  memo<T>(name: string, build: () => T): T;
}

export type KeyLookup =
  | { state: "active"; record: KeyRecord }
  | { state: "deleted"; record: KeyRecord }
  | { state: "unknown" };

function chooseMarkets(exchange: SimExchange, seed: number, n: number): MarketSpec[] {
  const all = listMarkets(exchange);
  if (n > all.length) throw new Error(`trades.markets: ${exchange} lists only ${all.length} markets`);
  // Fisher-Yates driven by the seed: the same seed always picks the same markets in the same order.
  const order = all.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = hashInts(seed, i, 0x5ed) % (i + 1);
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  return order.slice(0, n).map((i) => all[i]!);
}

export class KeyStore {
  private readonly active = new Map<string, KeyRecord>();
  private readonly deleted = new Map<string, KeyRecord>();
  private ordinal = 0;
  private readonly material: HashStream | undefined;
  private readonly seed: number;

  constructor(seed?: number) {
    this.seed = seed === undefined ? randomBytes(4).readUInt32LE(0) : seed >>> 0;
    this.material = seed === undefined ? undefined : new HashStream(hashInts(this.seed, 0x6b65));
  }

  private chars(alphabet: string, n: number): string {
    if (this.material) return this.material.chars(alphabet, n);
    const bytes = randomBytes(n);
    let out = "";
    for (const b of bytes) out += alphabet[b % alphabet.length];
    return out;
  }

  /** Key strings shaped like each exchange's: Binance 64 alphanumerics, OKX a UUID, Bybit 18. */
  private newCredentials(exchange: SimExchange): { apiKey: string; secret: string } {
    switch (exchange) {
      case "binance":
        return { apiKey: this.chars(ALNUM, 64), secret: this.chars(ALNUM, 64) };
      case "okx": {
        const h = this.chars("0123456789abcdef", 32);
        const apiKey = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
        return { apiKey, secret: this.chars(HEX, 32) };
      }
      case "bybit":
        return { apiKey: this.chars(ALNUM, 18), secret: this.chars(ALNUM, 36) };
      case "kucoin":
        return kucoinCredentials((alphabet, n) => this.chars(alphabet, n));
      case "gate":
        return gateCredentials((alphabet, n) => this.chars(alphabet, n));
    }
  }

  create(o: SimKeyOptions, now: number): KeyRecord {
    const ordinal = this.ordinal++;
    const generated = this.newCredentials(o.exchange);
    // Explicit credentials let the demo recreate the same keys on every start.
    const apiKey = o.apiKey ?? generated.apiKey;
    const secret = o.secret ?? generated.secret;
    if (this.active.has(this.id(o.exchange, apiKey))) throw new Error(`${o.exchange} key ${apiKey} already exists`);
    const createdAt = o.createdAt ?? new Date(now);
    const key: SimKey = {
      exchange: o.exchange,
      apiKey,
      secret,
      ...(o.exchange === "okx" || o.exchange === "kucoin" ? { passphrase: o.passphrase ?? `Sim-${this.chars(ALNUM, 10)}` } : {}),
      label: o.label ?? `sim-${o.exchange}-${ordinal + 1}`,
      permissions: { ...DEFAULT_PERMISSIONS, ...o.permissions },
      ipWhitelist: [...(o.ipWhitelist ?? [])],
      createdAt,
      expiresAt: o.expiresAt ?? null,
    };
    const t: SimTradeOptions = o.trades ?? DEFAULT_TRADES;
    // The account's trades run up to now (myTrades serves the account's, not the key's, history).
    const endTime = t.endTime?.getTime() ?? now;
    // OKX serves three months of fills: keep its default history inside them.
    const defaultSpan = (o.exchange === "okx" ? 80 : 180) * DAY_MS;
    const startTime = t.startTime?.getTime() ?? endTime - defaultSpan;
    const tradeSeed = t.seed ?? hashInts(this.seed, ordinal, hashString(o.exchange));
    const tradeOptions = { count: t.count, markets: t.markets, startTime, endTime };
    const spot = t.products?.spot;
    const markets = spot ? [] : chooseMarkets(o.exchange, tradeSeed, t.markets);
    // Built now so bad options fail here; it holds no per-trade data until a query needs it.
    const history = spot
      ? buildProductHistory(o.exchange, "spot", tradeSeed, spot, startTime, endTime)
      : new TradeHistory({ seed: tradeSeed, count: t.count, markets, startTime, endTime, accountWideIds: o.exchange === "okx" && t.products !== undefined });
    const histories = new Map<SimProduct, TradeHistory>([["spot", history]]);
    for (const [product, po] of Object.entries(t.products ?? {}) as [SimProduct, NonNullable<SimTradeOptions["products"]>[SimProduct]][]) {
      if (product === "spot" || !po) continue;
      histories.set(product, buildProductHistory(o.exchange, product, tradeSeed, po, startTime, endTime));
    }
    const ledgerOptions = { converts: 0, dust: 0, income: 0, delisted: 0, ...o.ledger };
    for (const [name, v] of Object.entries(ledgerOptions)) {
      if (!Number.isSafeInteger(v) || v < 0) throw new Error(`ledger.${name} must be a non-negative integer`);
    }
    if (ledgerOptions.delisted > history.markets.length) throw new Error("ledger.delisted: more than the key's spot markets");
    // The last-drawn markets are the delisted ones: deterministic, and the first ones stay listed.
    const delisted = history.markets.slice(history.markets.length - ledgerOptions.delisted).map((m) => marketIdOf(o.exchange, m));
    for (const id of delisted) this.delistedSet(o.exchange).add(id);
    let account: AccountFacts | undefined;
    const memos = new Map<string, unknown>();
    const record: KeyRecord = {
      key,
      ordinal,
      tradeSeed,
      tradeOptions,
      history: () => history,
      historyOf: (product) => histories.get(product),
      products: [...histories.keys()],
      complete: t.products !== undefined || o.ledger !== undefined,
      ledgerOptions,
      delisted,
      account: () =>
        (account ??= (record.complete ? completeAccountFacts(record) : undefined) ?? buildAccount(tradeSeed, history.markets, history.startTime, endTime)),
      memo: <T>(name: string, build: () => T): T => {
        if (!memos.has(name)) memos.set(name, build());
        return memos.get(name) as T;
      },
    };
    this.active.set(this.id(o.exchange, apiKey), record);
    return record;
  }

  private readonly delistedMarkets = new Map<SimExchange, Set<string>>();

  private delistedSet(exchange: SimExchange): Set<string> {
    let set = this.delistedMarkets.get(exchange);
    if (!set) this.delistedMarkets.set(exchange, (set = new Set()));
    return set;
  }

  /** Exchange-wide: a market some key's ledger delisted is gone for every key, as on the exchange. */
  isDelisted(exchange: SimExchange, marketId: string): boolean {
    return this.delistedMarkets.get(exchange)?.has(marketId) ?? false;
  }

  private id(exchange: SimExchange, apiKey: string): string {
    return `${exchange}\u0000${apiKey}`;
  }

  lookup(exchange: SimExchange, apiKey: string): KeyLookup {
    const id = this.id(exchange, apiKey);
    const active = this.active.get(id);
    if (active) return { state: "active", record: active };
    const deleted = this.deleted.get(id);
    if (deleted) return { state: "deleted", record: deleted };
    return { state: "unknown" };
  }

  /** The active record, or an error naming the key (for the programmatic and admin interfaces). */
  require(exchange: SimExchange, apiKey: string): KeyRecord {
    const found = this.lookup(exchange, apiKey);
    if (found.state === "unknown") throw new Error(`no ${exchange} key ${apiKey}`);
    return found.record;
  }

  delete(exchange: SimExchange, apiKey: string): void {
    const id = this.id(exchange, apiKey);
    const record = this.active.get(id);
    if (!record) throw new Error(`no active ${exchange} key ${apiKey}`);
    this.active.delete(id);
    this.deleted.set(id, record);
  }

  restrict(
    exchange: SimExchange,
    apiKey: string,
    change: { permissions?: Partial<SimPermissions>; ipWhitelist?: string[]; expiresAt?: Date | null },
  ): KeyRecord {
    const found = this.lookup(exchange, apiKey);
    if (found.state !== "active") throw new Error(`no active ${exchange} key ${apiKey}`);
    const key = found.record.key;
    if (change.permissions) key.permissions = { ...key.permissions, ...change.permissions };
    if (change.ipWhitelist) key.ipWhitelist = [...change.ipWhitelist];
    if (change.expiresAt !== undefined) key.expiresAt = change.expiresAt;
    return found.record;
  }

  list(exchange?: SimExchange): KeyRecord[] {
    return [...this.active.values()].filter((r) => !exchange || r.key.exchange === exchange);
  }
}

/** A copy safe to hand out: callers mutating it cannot change the store. */
export function publicKey(r: KeyRecord): SimKey {
  const k = r.key;
  return {
    ...k,
    permissions: { ...k.permissions },
    ipWhitelist: [...k.ipWhitelist],
    createdAt: new Date(k.createdAt),
    expiresAt: k.expiresAt ? new Date(k.expiresAt) : null,
  };
}

export function isExpired(key: SimKey, now: number): boolean {
  return key.expiresAt !== null && key.expiresAt.getTime() <= now;
}

export function ipAllowed(key: SimKey, ip: string): boolean {
  return key.ipWhitelist.length === 0 || key.ipWhitelist.includes(ip);
}
