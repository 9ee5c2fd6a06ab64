import "server-only";
import type { Exchange } from "ccxt";
import { z } from "zod";
import { callExchange, describeOrClassify, malformed } from "../call";
import { createExchange } from "../ccxt-client";
import { classifyWith, verdict as v, type ExchangeErrorTable, type Verdict } from "../classify";
import { ExchangeAdapterError, isExchangeAdapterError } from "../errors";
import type { AdapterContext, ClassifiedError, ExchangeAdapter, KeyCredentials, KeyDescription, NormalizedPermissions, RequestPacer } from "../types";
import { exportKrakenHistory, type QueryWindow } from "./export-history";
import { guideFor } from "../guide";
import { weightLimitsFrom } from "../pacing/shared";
import { krakenGuide } from "./guide";
import { INVALID_NONCE, privateCall, RATE_LIMITED, STARTER_LIMIT, withKrakenRetry, type KrakenCounterLimit } from "./key-gate";

const ID = "kraken";
const NAME = "Kraken";

// --- classification -------------------------------------------------------------------------

export const INVALID_KEY = "EAPI:Invalid key";
export const PERMISSION_DENIED = "EGeneral:Permission denied";

// Kraken answers errors as strings in the body's `error` list, mostly with HTTP 200
// (https://docs.kraken.com/exchange/guides/general/errors). Only EAPI:Invalid key says the key
// does not exist: Kraken documents it as an API-Key header that is missing, malformed, or names
// a key that was deleted or revoked (MyITS always sends the key it was given). A bad signature
// (wrong secret) proves nothing either way. EGeneral:Permission denied is answered for a key
// Kraken authenticated that may not do this: the key is alive. A refused nonce, the rate-limit
// counter, the lockout Kraken imposes after repeated invalid keys and its service errors say
// nothing about the key: try again later.
const ERRORS: Record<string, Verdict> = {
  [INVALID_KEY]: v("revoked", "key_not_found"),
  "EAPI:Invalid signature": v("ambiguous", "bad_signature"),
  "EAPI:Bad request": v("ambiguous", "configuration"),
  "EGeneral:Invalid arguments": v("ambiguous", "configuration"),
  "EAPI:Feature disabled": v("ambiguous", "unknown"),
  "ESession:Invalid session": v("ambiguous", "unknown"),
  "ETrade:User Locked": v("ambiguous", "key_frozen"),
  [PERMISSION_DENIED]: v("valid", "permission_denied"),
  [INVALID_NONCE]: v("unreachable", "clock_skew"),
  [RATE_LIMITED]: v("unreachable", "rate_limited"),
  "EGeneral:Too many requests": v("unreachable", "rate_limited"),
  "EGeneral:Temporary lockout": v("unreachable", "rate_limited"),
  "EService:Unavailable": v("unreachable", "exchange_unavailable"),
  "EService:Busy": v("unreachable", "exchange_unavailable"),
  "EGeneral:Internal error": v("unreachable", "exchange_unavailable"),
  "EDatabase:Internal error": v("unreachable", "exchange_unavailable"),
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export const krakenErrors: ExchangeErrorTable = {
  codes: {},
  // ccxt puts Kraken's body at the end of its message; an error string is matched whole, with
  // its quotes (Kraken appends details after a colon: "EGeneral:Invalid arguments:price").
  messages: Object.entries(ERRORS).map(([error, verdict]) => [new RegExp(`"${escape(error)}(?::[^"]*)?"`), { ...verdict, code: error }]),
  unknownAuthentication: v("ambiguous", "unknown"),
};

export function classifyKrakenError(error: unknown): ClassifiedError {
  return classifyWith(krakenErrors, error);
}

// --- the client -------------------------------------------------------------------------------

export interface KrakenOptions {
  /**
   * Kraken's per-key rate-limit counter as MyITS keeps it (key-gate.ts); default Starter's, the
   * strictest tier. Null keeps none: only where something else paces (a test of the simulator).
   */
  counter?: KrakenCounterLimit | null;
}

function krakenClient(credentials: KeyCredentials, context: AdapterContext): Exchange {
  return createExchange(ID, credentials, context);
}

// --- describeKey ------------------------------------------------------------------------------

const keyInfoSchema = z.looseObject({
  apiKeyName: z.string().optional(),
  permissions: z.array(z.string()),
  ipAllowlist: z.array(z.string()).optional(),
  validUntil: z.union([z.string(), z.number()]).optional(),
  queryFrom: z.union([z.string(), z.number()]).optional(),
  queryTo: z.union([z.string(), z.number()]).optional(),
  createdTime: z.union([z.string(), z.number()]).optional(),
  lastUsed: z.union([z.string(), z.number()]).optional(),
  nonceWindow: z.number().optional(),
});
type KeyInfo = z.infer<typeof keyInfoSchema>;

// Kraken's permission names (GetApiKeyInfo; the settings page calls them Query Funds, Query Open
// Orders & Trades, Query Closed Orders & Trades, Query Ledger Entries, Create & Modify Orders,
// Withdraw Funds, ...).
const READS = new Set(["query-funds", "query-open-trades", "query-closed-trades", "query-ledger"]);
const TRADE = "modify-trades";
const WITHDRAW = "withdraw-funds";

/** Kraken's permission list in the common words. Pure. */
export function krakenPermissions(permissions: readonly string[]): NormalizedPermissions {
  const granted = new Set(permissions.map((p) => p.trim()).filter(Boolean));
  return {
    read: [...granted].some((p) => READS.has(p)),
    spotTrade: granted.has(TRADE),
    // Kraken has no margin permission of its own: margin orders are orders with leverage,
    // placed under the same "Create & Modify Orders"
    marginTrade: granted.has(TRADE),
    // Kraken Futures is a separate API whose keys are made there; a Spot key cannot trade it
    futuresTrade: false,
    withdraw: granted.has(WITHDRAW),
    // funds leave the Spot wallet (withdrawals, transfers to Futures) only under Withdraw Funds
    transfer: granted.has(WITHDRAW),
    other: [...granted].filter((p) => !READS.has(p) && p !== TRADE && p !== WITHDRAW).sort(),
  };
}

/** Kraken's times are seconds (strings); "0" means none. */
function seconds(value: string | number | undefined): Date | null {
  if (value === undefined || value === "" || !Number.isFinite(Number(value)) || Number(value) <= 0) return null;
  return new Date(Math.round(Number(value) * 1000));
}

async function keyInfo(exchange: Exchange, credentials: KeyCredentials, context: AdapterContext, options: KrakenOptions): Promise<KeyInfo & Record<string, unknown>> {
  const limit = counterOf(options, context.env);
  const raw = await privateCall({ exchange, apiKey: credentials.apiKey, cost: 1, limit }, () =>
    callExchange({ exchange, pacer: withKrakenRetry(context.pacer, limit ?? STARTER_LIMIT), classify: classifyKrakenError, request: { endpoint: "GetApiKeyInfo", weight: 1 } }, () =>
      exchange.privatePostGetApiKeyInfo(),
    ),
  );
  const parsed = keyInfoSchema.safeParse((raw as { result?: unknown } | null)?.result);
  if (!parsed.success) throw malformed(ID, "POST /0/private/GetApiKeyInfo");
  return parsed.data;
}

/**
 * The counter MyITS keeps: the adapter's option, else EXCHANGE_WEIGHT_LIMIT_KRAKEN (the counter's
 * maximum) and EXCHANGE_WEIGHT_WINDOW_MS_KRAKEN (how long it takes to decay by that maximum)
 * where Kraken's is not the production one (the simulator), else Starter's.
 */
function counterOf(options: KrakenOptions, env: Record<string, string | undefined> = process.env): KrakenCounterLimit | null {
  if (options.counter !== undefined) return options.counter;
  const { limit, windowMs } = weightLimitsFrom(ID, env);
  if (limit === undefined && windowMs === undefined) return STARTER_LIMIT;
  const max = limit ?? STARTER_LIMIT.max;
  return { max, decayPerSecond: windowMs === undefined ? STARTER_LIMIT.decayPerSecond : max / (windowMs / 1000) };
}

const isCode = (error: unknown, code: string) => isExchangeAdapterError(error) && error.classified.code === code;

async function describeKrakenKey(credentials: KeyCredentials, context: AdapterContext, options: KrakenOptions): Promise<KeyDescription> {
  return describeOrClassify(classifyKrakenError, async () => {
    const exchange = krakenClient(credentials, context);
    let info: KeyInfo;
    try {
      try {
        info = await keyInfo(exchange, credentials, context, options);
      } catch (error) {
        // A deletion completes an unbind and destroys the secret: one answer that the key is
        // unknown is asked again, so that a single glitch of Kraken's cannot stand for it.
        if (!isCode(error, INVALID_KEY)) throw error;
        info = await keyInfo(exchange, credentials, context, options);
      }
    } catch (error) {
      // GetApiKeyInfo needs no permission, so Kraken's refusal there is the key's IP allowlist
      // (or a two-factor password on the key, which MyITS cannot give): the key exists.
      if (isCode(error, PERMISSION_DENIED) && isExchangeAdapterError(error)) {
        throw new ExchangeAdapterError(ID, { ...error.classified, reason: "ip_not_allowed" });
      }
      throw error;
    }
    const ipWhitelist = (info.ipAllowlist ?? []).map((ip) => ip.trim()).filter(Boolean);
    return {
      status: "valid",
      permissions: krakenPermissions(info.permissions),
      rawPermissions: {
        permissions: info.permissions,
        queryFrom: seconds(info.queryFrom)?.toISOString() ?? null,
        queryTo: seconds(info.queryTo)?.toISOString() ?? null,
        nonceWindow: info.nonceWindow ?? null,
        lastUsed: seconds(info.lastUsed)?.toISOString() ?? null,
      },
      ipRestricted: ipWhitelist.length > 0,
      ipWhitelist,
      createdAt: seconds(info.createdTime),
      expiresAt: seconds(info.validUntil),
      label: info.apiKeyName ?? null,
      permissionsKnown: true,
      raw: info,
    };
  });
}

// --- adapter ----------------------------------------------------------------------------------

export { HISTORY_COST, KRAKEN_PAGE, krakenNotes, krakenSeconds, parseKrakenCursor, type KrakenCursor } from "./export-history";
export { gateOf, KeyGate, privateCall, STARTER_LIMIT, withKrakenRetry, type KrakenCounterLimit } from "./key-gate";
export { krakenMillis, normalizeKrakenTrade } from "./records";

export function createKrakenAdapter(context: AdapterContext = {}, options: KrakenOptions = {}): ExchangeAdapter {
  const limit = counterOf(options, context.env);
  const paced = (pacer: RequestPacer | undefined) => withKrakenRetry(pacer, limit ?? STARTER_LIMIT);
  return {
    id: ID,
    displayName: NAME,
    requiresPassphrase: false,
    full: true,
    guide: guideFor(ID, NAME, krakenGuide),
    history: { products: ["spot", "margin"], records: [], fullScan: false, pacing: "cooldown" },
    describeKey: (credentials) => describeKrakenKey(credentials, context, options),
    classifyError: classifyKrakenError,
    classifyRevocation: (error) => classifyKrakenError(error).status,
    exportHistory: (credentials, cursor, exportOptions = {}) => {
      const exchange = krakenClient(credentials, context);
      const pacer = paced(exportOptions.pacer ?? context.pacer);
      const queryWindow = async (): Promise<QueryWindow | null> => {
        const info = await keyInfo(exchange, credentials, { ...context, pacer: exportOptions.pacer ?? context.pacer }, options);
        return { queryFrom: Number(info.queryFrom ?? 0) || 0, queryTo: Number(info.queryTo ?? 0) || 0 };
      };
      return exportKrakenHistory({ exchange, apiKey: credentials.apiKey, classify: classifyKrakenError, pacer, limit, queryWindow }, cursor, exportOptions);
    },
  };
}
