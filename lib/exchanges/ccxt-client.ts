import "server-only";
// A namespace import: it works whether the runtime loads ccxt's ESM build (vitest, Node) or its
// CommonJS build (a bundler's external require), whose `default` export is not the ccxt object.
import * as ccxt from "ccxt";
import type { Exchange } from "ccxt";
import { DEFAULT_EXCHANGE_TIMEOUT_MS, EnvError, exchangeEndpoints, exchangeEnvSuffix, normalizeOrigin } from "@/lib/env";
import { ExchangeAdapterError } from "./errors";
import type { AdapterContext, KeyCredentials } from "./types";

// The one place that constructs ccxt instances, so that every request to an exchange honours
// the endpoint overrides (validated by lib/env.ts; docs/architecture.md, "Endpoints"):
//   EXCHANGE_ORIGIN_<CCXT_ID>=http://127.0.0.1:4010  replaces scheme, host and port of every
//                                                     URL in the class's urls.api, keeping paths
//   EXCHANGE_SANDBOX_<CCXT_ID>=1                      ccxt's sandbox mode (testnets)
//   EXCHANGE_TIMEOUT_MS=10000                         per-request timeout

export const DEFAULT_TIMEOUT_MS = DEFAULT_EXCHANGE_TIMEOUT_MS;

export type Env = Record<string, string | undefined>;

export interface EndpointOverrides {
  origin: string | null;
  sandbox: boolean;
  timeoutMs: number;
}

export interface CreateExchangeOptions extends AdapterContext {
  /** Merged into the ccxt instance's options (deep-merged by ccxt). */
  options?: Record<string, unknown>;
}

const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/**
 * Replaces the scheme, host and port of every URL string inside `api` (nested objects and
 * arrays too) with `origin`, keeping path and query. Works on ccxt's templated hosts as well
 * ("https://api.{hostname}/v5" -> "http://127.0.0.1:4010/v5"). Returns a new value.
 */
export function rewriteApiUrls<T>(api: T, origin: string): T {
  const base = normalizeOrigin(origin);
  const visit = (value: unknown): unknown => {
    if (typeof value === "string") return ABSOLUTE_URL.test(value) ? value.replace(ABSOLUTE_URL, base) : value;
    if (Array.isArray(value)) return value.map(visit);
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, visit(inner)]));
    }
    return value;
  };
  return visit(api) as T;
}

export { exchangeEnvSuffix as envSuffix, normalizeOrigin };

/** Reads the overrides for one exchange from an environment object, validated by lib/env.ts. */
export function endpointOverrides(exchangeId: string, env: Env = process.env, timeoutMs?: number): EndpointOverrides {
  try {
    const endpoints = exchangeEndpoints(exchangeId, env);
    return { ...endpoints, timeoutMs: timeoutMs ?? endpoints.timeoutMs };
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    throw new ExchangeAdapterError(exchangeId, { status: "unreachable", reason: "configuration", message: error.message });
  }
}

type ExchangeClass = new (config?: Record<string, unknown>) => Exchange;

/**
 * ccxt's exchange ids. Its ESM build exports `exchanges` as an id -> class object, its
 * CommonJS build (and the ESM default export) as an array of ids: accept both.
 */
export function exchangeIds(): string[] {
  const listed: unknown = (ccxt as unknown as { exchanges?: unknown }).exchanges;
  if (Array.isArray(listed)) return listed.filter((id): id is string => typeof id === "string");
  return listed && typeof listed === "object" ? Object.keys(listed) : [];
}

export function exchangeClass(exchangeId: string): ExchangeClass | undefined {
  if (!exchangeIds().includes(exchangeId)) return undefined;
  // exchangeIds() lists ccxt's own ids; still read only an own property of the module.
  const classes = ccxt as unknown as Record<string, unknown>;
  const Class = Object.hasOwn(classes, exchangeId) ? classes[exchangeId] : undefined;
  return typeof Class === "function" ? (Class as ExchangeClass) : undefined;
}

/**
 * A ready ccxt instance for one exchange and (optionally) one key. Rate limiting on (unless
 * the context turns it off), a timeout, sandbox and origin overrides applied. Callers own the instance; it holds no
 * sockets that need closing for REST use.
 */
export function createExchange(
  exchangeId: string,
  credentials?: KeyCredentials,
  { env = process.env, timeoutMs, options, enableRateLimit = true }: CreateExchangeOptions = {},
): Exchange {
  const Class = exchangeClass(exchangeId);
  if (!Class) {
    throw new ExchangeAdapterError(exchangeId, {
      status: "unreachable",
      reason: "configuration",
      message: `ccxt has no exchange "${exchangeId}"`,
    });
  }
  const overrides = endpointOverrides(exchangeId, env, timeoutMs);
  const config: Record<string, unknown> = { enableRateLimit, timeout: overrides.timeoutMs };
  if (options) config.options = options;
  if (credentials) {
    config.apiKey = credentials.apiKey;
    config.secret = credentials.secret;
    if (credentials.passphrase !== undefined) config.password = credentials.passphrase;
  }
  const exchange = new Class(config);
  if (overrides.sandbox) {
    try {
      // some classes declare `test: undefined`; ccxt would then swap in no URLs at all
      if (!(exchange.urls as { test?: unknown }).test) throw new Error(`${exchangeId} has no sandbox in ccxt`);
      exchange.setSandboxMode(true);
    } catch (error) {
      throw new ExchangeAdapterError(exchangeId, {
        status: "unreachable",
        reason: "configuration",
        message: `EXCHANGE_SANDBOX_${exchangeEnvSuffix(exchangeId)}: ${(error as Error).message}`,
      });
    }
  }
  if (overrides.origin) exchange.urls.api = rewriteApiUrls(exchange.urls.api, overrides.origin);
  return exchange;
}
