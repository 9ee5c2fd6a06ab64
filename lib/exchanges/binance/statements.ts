import "server-only";
import type { Exchange } from "ccxt";
import { z } from "zod";
import { callExchange, malformed } from "../call";
import { ExchangeAdapterError } from "../errors";
import type { ClassifiedError, KeyCredentials, RequestPacer, StatementCapability, StatementKind, StatementPoll } from "../types";

// Binance's asynchronous futures history downloads: the only way to the USDⓈ-M and COIN-M
// trades its userTrades endpoints no longer serve (older than 6 months), and to the USDⓈ-M
// income (funding, realized P&L, commissions) /fapi/v1/income no longer serves (older than 3).
//   GET /fapi/v1/trade/asyn    {startTime, endTime} (at most a year) -> {downloadId, avgCostTimestampOfLast30d}
//                              weight 1000; 5 a month, shared with binance.com's own download page
//   GET /fapi/v1/trade/asyn/id {downloadId} -> {status: processing|completed, url, expirationTimestamp}
//                              weight 10; the link expires after 24 h
//   (/dapi/v1/trade/asyn and /id for COIN-M: weight 5 each)
//   GET /fapi/v1/income/asyn and /income/asyn/id: the same cycle for the income ("transaction
//                              history"), weights 1000 and 10, a quota of its own of 5 a month
// The file behind `url` is Binance's website export, whose columns Binance does not document in
// its API: it is stored byte for byte beside the backup's CSVs, never parsed into them.

const ID = "binance";
const DAY = 86_400_000;

interface Route {
  kind: StatementKind;
  pool: "fapi" | "dapi";
  /** Binance's path of the request; the poll's is this plus "/id". */
  path: string;
  weights: { request: number; poll: number };
  request(exchange: Exchange, params: Record<string, string>): Promise<unknown>;
  poll(exchange: Exchange, params: Record<string, string>): Promise<unknown>;
}

const QUOTA = "5 a month per Binance account, shared with the download page of binance.com";

const ROUTES: Record<string, Route> = {
  "usdm-trades": {
    kind: {
      id: "usdm-trades",
      part: "usdm",
      title: "USDⓈ-M futures trade history",
      maxWindowMs: 365 * DAY,
      earliest: new Date(Date.UTC(2019, 8, 1)),
      quota: QUOTA,
      cost: "1,000 of the 2,400 USDⓈ-M request weight a minute",
    },
    pool: "fapi",
    path: "/fapi/v1/trade/asyn",
    weights: { request: 1000, poll: 10 },
    request: (exchange, params) => exchange.fapiPrivateGetTradeAsyn(params),
    poll: (exchange, params) => exchange.fapiPrivateGetTradeAsynId(params),
  },
  "coinm-trades": {
    kind: {
      id: "coinm-trades",
      part: "coinm",
      title: "COIN-M futures trade history",
      maxWindowMs: 365 * DAY,
      earliest: new Date(Date.UTC(2020, 7, 1)),
      quota: QUOTA,
      cost: "5 of the 2,400 COIN-M request weight a minute",
    },
    pool: "dapi",
    path: "/dapi/v1/trade/asyn",
    weights: { request: 5, poll: 5 },
    request: (exchange, params) => exchange.dapiPrivateGetTradeAsyn(params),
    poll: (exchange, params) => exchange.dapiPrivateGetTradeAsynId(params),
  },
  "usdm-income": {
    kind: {
      id: "usdm-income",
      part: "income",
      title: "USDⓈ-M futures transaction history (funding, realized P&L, commissions)",
      maxWindowMs: 365 * DAY,
      earliest: new Date(Date.UTC(2019, 8, 1)),
      quota: QUOTA,
      cost: "1,000 of the 2,400 USDⓈ-M request weight a minute",
    },
    pool: "fapi",
    path: "/fapi/v1/income/asyn",
    weights: { request: 1000, poll: 10 },
    request: (exchange, params) => exchange.fapiPrivateGetIncomeAsyn(params),
    poll: (exchange, params) => exchange.fapiPrivateGetIncomeAsynId(params),
  },
};

const requestAnswer = z.looseObject({ downloadId: z.union([z.string(), z.number()]), avgCostTimestampOfLast30d: z.number().nullish() });
const pollAnswer = z.looseObject({
  status: z.string(),
  url: z.string().nullish(),
  expirationTimestamp: z.number().nullish(),
  isExpired: z.boolean().nullish(),
});

export interface StatementDeps {
  client(credentials: KeyCredentials): Exchange;
  classify(error: unknown): ClassifiedError;
  pacer: RequestPacer | undefined;
}

function routeOf(kind: string): Route {
  const route = Object.hasOwn(ROUTES, kind) ? ROUTES[kind] : undefined;
  if (!route) throw new Error(`Binance offers no statement of kind ${kind}`);
  return route;
}

/** The answer of trade/asyn/id (or income/asyn/id, `path`) in the contract's words. Pure. */
export function binanceStatementPoll(raw: unknown, now: number, path = "/fapi/v1/trade/asyn/id"): StatementPoll {
  const parsed = pollAnswer.safeParse(raw);
  if (!parsed.success) throw malformed(ID, `GET ${path}`);
  const answer = parsed.data;
  const expiresAt = answer.expirationTimestamp && answer.expirationTimestamp > 0 ? new Date(answer.expirationTimestamp) : null;
  if (answer.isExpired === true || (expiresAt !== null && expiresAt.getTime() <= now)) return { state: "expired" };
  if (answer.status === "completed") {
    if (!answer.url) throw malformed(ID, `GET ${path} (completed without a link)`);
    return { state: "ready", url: answer.url, expiresAt };
  }
  if (answer.status === "processing") return { state: "processing" };
  throw malformed(ID, `GET ${path} (status "${answer.status.slice(0, 40)}")`);
}

/**
 * A link is fetched only over https, or from the origin the API itself is configured at (the
 * simulator): the answer names the URL, and nothing else should make the server fetch an
 * address on its own network.
 */
export function statementUrlAllowed(url: string, apiOrigins: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password) return false;
  return parsed.protocol === "https:" || apiOrigins.includes(parsed.origin);
}

function apiOrigins(exchange: Exchange): string[] {
  const origins = new Set<string>();
  const visit = (value: unknown) => {
    if (typeof value === "string") {
      try {
        origins.add(new URL(value).origin);
      } catch {
        // a templated host ("https://{hostname}") is not one the simulator uses
      }
    } else if (value !== null && typeof value === "object") Object.values(value).forEach(visit);
  };
  visit(exchange.urls.api);
  return [...origins];
}

export function binanceStatements(deps: StatementDeps): StatementCapability {
  const call = <T>(exchange: Exchange, route: Route, endpoint: string, weight: number, fn: () => Promise<T>) =>
    callExchange({ exchange, pacer: deps.pacer, classify: deps.classify, request: { endpoint, weight, pool: route.pool } }, fn);
  return {
    kinds: Object.values(ROUTES).map((r) => r.kind),
    async request(credentials, kind, from, to) {
      const route = routeOf(kind);
      if (to.getTime() - from.getTime() > route.kind.maxWindowMs || to <= from) throw new RangeError("a statement covers at most one year, from before to");
      const exchange = deps.client(credentials);
      const raw = await call(exchange, route, route.path, route.weights.request, () =>
        route.request(exchange, { startTime: String(from.getTime()), endTime: String(to.getTime()) }),
      );
      const parsed = requestAnswer.safeParse(raw);
      if (!parsed.success) throw malformed(ID, `GET ${route.path}`);
      return { downloadId: String(parsed.data.downloadId), typicalMs: parsed.data.avgCostTimestampOfLast30d ?? null };
    },
    async poll(credentials, kind, downloadId) {
      const route = routeOf(kind);
      const exchange = deps.client(credentials);
      const raw = await call(exchange, route, `${route.path}/id`, route.weights.poll, () => route.poll(exchange, { downloadId }));
      return binanceStatementPoll(raw, Date.now(), `${route.path}/id`);
    },
    async download(credentials, url, maxBytes) {
      const exchange = deps.client(credentials) as Exchange & { handleContentTypeApplicationZip: boolean };
      if (!statementUrlAllowed(url, apiOrigins(exchange))) {
        throw new ExchangeAdapterError(ID, { status: "unreachable", reason: "malformed_response", message: "Binance's download link is not an https address" });
      }
      exchange.handleContentTypeApplicationZip = true;
      // a pre-signed file link, not an API endpoint: no signature, no weight
      const body = await callExchange({ exchange, pacer: undefined, classify: deps.classify, request: { endpoint: "statementFile", weight: 0 } }, () =>
        exchange.fetch(url, "GET"),
      );
      const bytes = body instanceof Uint8Array ? body : typeof body === "string" ? new TextEncoder().encode(body) : null;
      if (!bytes) throw malformed(ID, "the statement file (neither a file nor text)");
      if (bytes.length > maxBytes) throw malformed(ID, `the statement file (larger than ${maxBytes} bytes)`);
      const name = new URL(url).pathname.split("/").pop() ?? "";
      return { bytes, fileName: /^[A-Za-z0-9._-]{1,100}$/.test(name) ? name : "statement.zip" };
    },
  };
}
