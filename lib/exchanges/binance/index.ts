import "server-only";
import type { Exchange } from "ccxt";
import { z } from "zod";
import { callExchange, describeOrClassify, malformed } from "../call";
import { createExchange } from "../ccxt-client";
import { classifyWith, verdict as v, type ExchangeErrorTable } from "../classify";
import { binanceGuide } from "../guides/binance";
import { exportBinanceHistory } from "./export-history";
import { binanceStatements } from "./statements";
import { toDate } from "../normalize";
import type {
  AdapterContext,
  ClassifiedError,
  ExchangeAdapter,
  KeyCredentials,
  KeyDescription,
  NormalizedPermissions,
} from "../types";

const ID = "binance";

// --- classification -------------------------------------------------------------------------

// -2008 / -2014: the key id does not exist (deleted, or never was). -2015 covers an invalid
// key, a disallowed IP and a missing permission alike: it cannot prove deletion. -1022 (bad
// signature) means Binance found the key id but our secret does not match it: the key may
// well be alive, so it is never "revoked".
export const binanceErrors: ExchangeErrorTable = {
  codes: {
    "-2008": v("revoked", "key_not_found"),
    "-2014": v("revoked", "key_not_found"),
    "-2015": v("ambiguous", "key_ip_or_permission"),
    "-1022": v("ambiguous", "bad_signature"),
    "-1002": v("ambiguous", "permission_denied"),
    "-1099": v("ambiguous", "key_ip_or_permission"),
    "-1003": v("unreachable", "rate_limited"),
    "-1015": v("unreachable", "rate_limited"),
    "-1021": v("unreachable", "clock_skew"),
    "-1000": v("unreachable", "exchange_unavailable"),
    "-1001": v("unreachable", "exchange_unavailable"),
    "-1004": v("unreachable", "exchange_unavailable"),
    "-1006": v("unreachable", "exchange_unavailable"),
    "-1007": v("unreachable", "timeout"),
    "-1008": v("unreachable", "exchange_unavailable"),
    "-3000": v("unreachable", "exchange_unavailable"),
  },
  messages: [
    [/Invalid Api-Key ID/i, { ...v("revoked", "key_not_found"), code: "-2008" }],
    [/API-key format invalid/i, { ...v("revoked", "key_not_found"), code: "-2014" }],
    [/Invalid API-key, IP, or permissions/i, { ...v("ambiguous", "key_ip_or_permission"), code: "-2015" }],
    [/Signature for this request is not valid/i, { ...v("ambiguous", "bad_signature"), code: "-1022" }],
  ],
  unknownAuthentication: v("ambiguous", "unknown"),
};

export function classifyBinanceError(error: unknown): ClassifiedError {
  return classifyWith(binanceErrors, error);
}

// --- ccxt instance ----------------------------------------------------------------------------

// With keys set, ccxt's loadMarkets also calls signed endpoints (currencies, margin pairs):
// a restricted key would break it. Spot markets from exchangeInfo are all an export needs.
export const BINANCE_CCXT_OPTIONS = {
  fetchCurrencies: false,
  fetchMargins: false,
  fetchMarkets: { types: ["spot"] },
};

function binanceClient(credentials: KeyCredentials, context: AdapterContext): Exchange {
  return createExchange(ID, credentials, { ...context, options: BINANCE_CCXT_OPTIONS });
}

// --- describeKey ------------------------------------------------------------------------------

const apiRestrictionsSchema = z.looseObject({
  ipRestrict: z.boolean(),
  createTime: z.union([z.number(), z.string()]).optional(),
  enableReading: z.boolean().optional(),
  enableSpotAndMarginTrading: z.boolean().optional(),
  enableWithdrawals: z.boolean().optional(),
  enableInternalTransfer: z.boolean().optional(),
  enableMargin: z.boolean().optional(),
  enableFutures: z.boolean().optional(),
  permitsUniversalTransfer: z.boolean().optional(),
  enableVanillaOptions: z.boolean().optional(),
  enablePortfolioMarginTrading: z.boolean().optional(),
  enableFixApiTrade: z.boolean().optional(),
  enableFixReadOnly: z.boolean().optional(),
  tradingAuthorityExpirationTime: z.union([z.number(), z.string()]).optional(),
});

const MAPPED_FLAGS = new Set([
  "enableReading",
  "enableSpotAndMarginTrading",
  "enableWithdrawals",
  "enableInternalTransfer",
  "enableMargin",
  "enableFutures",
  "permitsUniversalTransfer",
]);

/** Binance's apiRestrictions answer in the common words. Pure. */
export function binancePermissions(raw: z.infer<typeof apiRestrictionsSchema>): NormalizedPermissions {
  // Any further flag Binance adds (options, portfolio margin, FIX...) is kept by name.
  const other = Object.entries(raw)
    .filter(([name, value]) => /^(enable|permits)/.test(name) && !MAPPED_FLAGS.has(name) && value === true)
    .map(([name]) => name)
    .sort();
  return {
    read: raw.enableReading === true,
    spotTrade: raw.enableSpotAndMarginTrading === true,
    marginTrade: raw.enableMargin === true,
    futuresTrade: raw.enableFutures === true,
    withdraw: raw.enableWithdrawals === true,
    transfer: raw.enableInternalTransfer === true || raw.permitsUniversalTransfer === true,
    other,
  };
}

async function describeBinanceKey(credentials: KeyCredentials, context: AdapterContext): Promise<KeyDescription> {
  return describeOrClassify(classifyBinanceError, async () => {
    const exchange = binanceClient(credentials, context);
    const raw = await callExchange({ exchange, pacer: context.pacer, classify: classifyBinanceError, request: { endpoint: "apiRestrictions", weight: 1 } }, () =>
      exchange.sapiGetAccountApiRestrictions(),
    );
    const parsed = apiRestrictionsSchema.safeParse(raw);
    if (!parsed.success) throw malformed(ID, "GET /sapi/v1/account/apiRestrictions");
    const restrictions = parsed.data;
    return {
      status: "valid",
      permissions: binancePermissions(restrictions),
      rawPermissions: restrictions,
      ipRestricted: restrictions.ipRestrict,
      // Binance says whether a whitelist exists, not what is on it.
      ipWhitelist: [],
      createdAt: toDate(restrictions.createTime),
      // Binance keys themselves do not expire; the only end date it reports is when the
      // key's trading authority lapses, which is what stops a bot: shown as the expiry.
      expiresAt: toDate(restrictions.tradingAuthorityExpirationTime),
      permissionsKnown: true,
      raw,
    };
  });
}

// --- exportHistory -----------------------------------------------------------------------------

export { BINANCE_DEFAULT_SINCE, BINANCE_HISTORY_WINDOW_MS, BINANCE_TRADES_LIMIT, parseBinanceCursor, type BinanceCursor } from "./export-history";
export { normalizeBinanceTrade, type BinanceMarketInfo } from "./records";

/** Exchange symbols worth asking myTrades about. Pure given markets and assets. */
export function candidateSymbols(
  markets: Array<{ id: string; baseId: string; quoteId: string; spot: boolean }>,
  assets: Set<string>,
  known: Iterable<string>,
  fullScan: boolean,
): string[] {
  const result = new Set<string>(known);
  for (const market of markets) {
    if (!market.spot) continue;
    // A trade on BASE/QUOTE moves both assets; one of them shows up in balances or transfers.
    if (fullScan || assets.has(market.baseId) || assets.has(market.quoteId)) result.add(market.id);
  }
  return [...result].sort();
}

// --- adapter ----------------------------------------------------------------------------------

export function createBinanceAdapter(context: AdapterContext = {}): ExchangeAdapter {
  return {
    id: ID,
    displayName: "Binance",
    requiresPassphrase: false,
    full: true,
    guide: binanceGuide,
    history: { products: ["spot", "margin", "isolated_margin", "usdm", "coinm"], records: ["transfers", "conversions", "income"], fullScan: true, pacing: "weight" },
    describeKey: (credentials) => describeBinanceKey(credentials, context),
    classifyError: classifyBinanceError,
    classifyRevocation: (error) => classifyBinanceError(error).status,
    exportHistory: (credentials, cursor, options = {}) =>
      exportBinanceHistory(binanceClient(credentials, context), classifyBinanceError, cursor, { ...options, pacer: options.pacer ?? context.pacer }),
    statements: binanceStatements({ client: (credentials) => binanceClient(credentials, context), classify: classifyBinanceError, pacer: context.pacer }),
  };
}
