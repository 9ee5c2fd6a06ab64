// Test helpers: unmodified ccxt classes pointed at the simulator (every URL's origin replaced,
// paths kept, as EXCHANGE_ORIGIN_<ID> does in the app), and raw signed requests for protocol
// details ccxt hides (headers, exact error bodies).

import ccxt from "ccxt";
import { binancePayload, binanceSignature, bybitSignature, okxSignature, type SimKey } from "@/lib/exchange-sim";

type Urls = string | { [k: string]: Urls };

function rewrite(urls: Urls, origin: string): Urls {
  if (typeof urls === "string") return urls.replace(/^https?:\/\/[^/]+/, origin);
  return Object.fromEntries(Object.entries(urls).map(([k, v]) => [k, rewrite(v, origin)]));
}

// ccxt's classes are typed loosely; these tests call implicit endpoints by name.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Client = any;

/** The options the adapters use so that loadMarkets makes no signed calls on Binance. */
export const BINANCE_ADAPTER_OPTIONS = { fetchMarkets: { types: ["spot"] }, fetchCurrencies: false, fetchMargins: false };

export function client(
  origin: string,
  key: Pick<SimKey, "exchange" | "apiKey" | "secret" | "passphrase">,
  extra: Record<string, unknown> = {},
): Client {
  const Cls = (ccxt as unknown as Record<string, new (config: Record<string, unknown>) => Client>)[key.exchange]!;
  const api = new Cls({}).urls.api as Urls;
  return new Cls({
    apiKey: key.apiKey,
    secret: key.secret,
    ...(key.passphrase ? { password: key.passphrase } : {}),
    urls: { api: rewrite(api, origin) },
    enableRateLimit: false,
    timeout: 10_000,
    ...extra,
  });
}

export interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

async function answer(res: Response): Promise<RawAnswer> {
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: parsed };
}

export async function rawGet(origin: string, pathAndQuery: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return answer(await fetch(origin + pathAndQuery, { headers }));
}

/** A signed Binance GET; `secret`/`timestamp` overrides produce bad signatures and stale requests. */
export async function binanceGet(
  origin: string,
  key: Pick<SimKey, "apiKey" | "secret">,
  path: string,
  params: Record<string, string | number> = {},
  o: { secret?: string; timestamp?: number } = {},
): Promise<RawAnswer> {
  const query = new URLSearchParams({ ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])), timestamp: String(o.timestamp ?? Date.now()) }).toString();
  const signature = binanceSignature(o.secret ?? key.secret, binancePayload(query, ""));
  return rawGet(origin, `${path}?${query}&signature=${signature}`, { "X-MBX-APIKEY": key.apiKey });
}

export async function okxGet(
  origin: string,
  key: Pick<SimKey, "apiKey" | "secret" | "passphrase">,
  path: string,
  params: Record<string, string | number> = {},
  o: { secret?: string; passphrase?: string; timestamp?: Date } = {},
): Promise<RawAnswer> {
  const query = new URLSearchParams(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]))).toString();
  const requestPath = query ? `${path}?${query}` : path;
  const ts = (o.timestamp ?? new Date()).toISOString();
  return rawGet(origin, requestPath, {
    "OK-ACCESS-KEY": key.apiKey,
    "OK-ACCESS-SIGN": okxSignature(o.secret ?? key.secret, ts, "GET", requestPath, ""),
    "OK-ACCESS-TIMESTAMP": ts,
    "OK-ACCESS-PASSPHRASE": o.passphrase ?? key.passphrase ?? "",
  });
}

export async function bybitRequest(
  origin: string,
  key: Pick<SimKey, "apiKey" | "secret">,
  method: "GET" | "POST",
  path: string,
  params: Record<string, string | number> = {},
  o: { secret?: string; timestamp?: number } = {},
): Promise<RawAnswer> {
  const ts = String(o.timestamp ?? Date.now());
  const recv = "5000";
  const query = new URLSearchParams(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]))).toString();
  const body = method === "POST" ? JSON.stringify(params) : "";
  const headers = {
    "X-BAPI-API-KEY": key.apiKey,
    "X-BAPI-TIMESTAMP": ts,
    "X-BAPI-RECV-WINDOW": recv,
    "X-BAPI-SIGN": bybitSignature(o.secret ?? key.secret, ts, key.apiKey, recv, method === "GET" ? query : body),
    "Content-Type": "application/json",
  };
  const url = method === "GET" && query ? `${origin}${path}?${query}` : `${origin}${path}`;
  return answer(await fetch(url, { method, headers, ...(method === "POST" ? { body } : {}) }));
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection");
}
