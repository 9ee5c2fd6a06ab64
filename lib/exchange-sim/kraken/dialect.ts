// The Kraken Spot REST dialect: public AssetPairs and Time, and the private GetApiKeyInfo,
// Balance and TradesHistory, as ccxt's kraken class calls them (POST, form-encoded, signed).
// TradesHistory as Kraken documents it:
// - every trade of the account, spot and margin together, newest first, 50 a page;
// - `start` (exclusive) and `end` (inclusive) in seconds, `ofs` the offset into the result;
// - `count` is how many trades match, so a client knows when it has read them all;
// - no retention limit: the whole history is served (a key's queryFrom/queryTo could narrow it).
// The simulator serves trades unconsolidated whatever consolidate_taker says (ccxt and MyITS
// send false; Kraken's default true would merge the taker fills of one order).
// https://docs.kraken.com/api-reference/account-data/get-trade-history

import { routeKey, type SimRequest, type SimResponse } from "../http";
import type { KeyRecord, KeyStore } from "../keys";
import type { TradeHistory } from "../trades";
import { permits, type RouteAccess } from "../dialect";
import { authenticateKraken, NonceBook } from "./auth";
import { krakenErrors, krakenOk } from "./errors";
import { KrakenCounter, type KrakenLimit } from "./limits";
import { krakenAssetPairs, krakenBalance, krakenKeyInfo, krakenTrade, krakenTradeId } from "./records";

export const KRAKEN_PAGE = 50;
const PRODUCTS = ["spot", "margin"] as const;

/** A time in seconds ("1710429248.3052") as whole milliseconds, rounded down, read exactly from its text. */
function millis(q: URLSearchParams, name: string): number | undefined | null {
  const v = q.get(name);
  if (v === null || v === "") return undefined;
  const m = /^(\d{1,12})(?:\.(\d{1,9}))?$/.exec(v);
  if (!m) return null;
  return Number(m[1]) * 1000 + Number((m[2] ?? "").padEnd(3, "0").slice(0, 3));
}

/** Index range [lo, hi) of a history's trades with Kraken time in (start, end], both in whole ms. */
function range(h: TradeHistory, startMs: number, endMs: number): [number, number] {
  // Kraken's times here are whole milliseconds: after `start` means from the next millisecond
  const lo = h.indexAtOrAfter(startMs + 1);
  return [lo, Math.max(lo, h.indexAtOrAfter(endMs + 1))];
}

function tradesHistory(params: URLSearchParams, key: KeyRecord, now: number): SimResponse {
  const start = millis(params, "start");
  const end = millis(params, "end");
  const ofsRaw = params.get("ofs") ?? "0";
  if (start === null) return krakenErrors.invalidArguments("start");
  if (end === null) return krakenErrors.invalidArguments("end");
  if (!/^\d{1,9}$/.test(ofsRaw)) return krakenErrors.invalidArguments("ofs");
  const ofs = Number(ofsRaw);
  const to = Math.min(end ?? Infinity, now);
  const from = start ?? -1;
  const sources = PRODUCTS.flatMap((product) => {
    const h = key.historyOf(product);
    if (!h) return [];
    const [lo, hi] = range(h, from, to);
    return [{ h, lo, next: hi - 1 }];
  });
  const count = sources.reduce((n, s) => n + (s.next + 1 - s.lo), 0);
  // merge the products newest first (ties: spot before margin), skipping `ofs` trades
  const trades: Record<string, unknown> = {};
  for (let seen = 0; seen < ofs + KRAKEN_PAGE && seen < count; seen++) {
    let best: (typeof sources)[number] | undefined;
    for (const s of sources) {
      if (s.next < s.lo) continue;
      if (!best || s.h.time(s.next) > best.h.time(best.next)) best = s;
    }
    if (!best) break;
    if (seen >= ofs) {
      trades[krakenTradeId(best.h, best.next)] = krakenTrade(best.h, best.h.core(best.next)).raw;
    }
    best.next--;
  }
  return krakenOk({ trades, count });
}

interface PrivateRoute {
  access: Exclude<RouteAccess, "public">;
  /** What the call adds to the key's rate-limit counter. */
  cost: number;
  run(params: URLSearchParams, key: KeyRecord, req: SimRequest, nonces: NonceBook): SimResponse;
}

/**
 * Kraken's private methods served here. GetApiKeyInfo needs no permission (a key may always
 * describe itself); Balance needs Query Funds and TradesHistory Query Open/Closed Orders & Trades,
 * both the normalised `read`.
 */
const PRIVATE: Record<string, PrivateRoute> = {
  [routeKey("POST", "/0/private/GetApiKeyInfo")]: {
    access: "signed",
    cost: 1,
    run: (_p, key, req, nonces) => krakenOk(krakenKeyInfo(key, nonces.lastOf(key.key.apiKey), req.now)),
  },
  [routeKey("POST", "/0/private/Balance")]: { access: "read", cost: 1, run: (_p, key) => krakenOk(krakenBalance(key)) },
  [routeKey("POST", "/0/private/TradesHistory")]: { access: "read", cost: 2, run: (p, key, req) => tradesHistory(p, key, req.now) },
};

const PUBLIC: Record<string, (req: SimRequest) => SimResponse> = {
  [routeKey("GET", "/0/public/Time")]: (req) => krakenOk({ unixtime: Math.floor(req.now / 1000), rfc1123: new Date(req.now).toUTCString() }),
  [routeKey("GET", "/0/public/AssetPairs")]: () => krakenOk(krakenAssetPairs()),
};

export class KrakenDialect {
  private readonly counter: KrakenCounter;
  private readonly nonces = new NonceBook();

  constructor(
    private readonly keys: KeyStore,
    limit: KrakenLimit | undefined,
  ) {
    this.counter = new KrakenCounter(limit);
  }

  handle(req: SimRequest): SimResponse {
    const route = routeKey(req.method, req.path);
    const pub = PUBLIC[route];
    if (pub) return pub(req);
    const priv = PRIVATE[route];
    if (!priv) return krakenErrors.unknownMethod();
    const auth = authenticateKraken(req, this.keys, this.nonces);
    if (!auth.ok) return auth.response;
    if (!this.counter.spend(auth.record.key.apiKey, priv.cost, req.now)) return krakenErrors.rateLimited();
    if (!permits(priv.access, auth.record)) return krakenErrors.permissionDenied();
    return priv.run(auth.params, auth.record, req, this.nonces);
  }

  resetRateLimits(): void {
    this.counter.reset();
  }
}
