import "server-only";
import type { Exchange } from "ccxt";
import { z } from "zod";
import { callExchange, describeOrClassify, malformed } from "../call";
import { createExchange } from "../ccxt-client";
import { classifyWith, verdict as v, type ExchangeErrorTable } from "../classify";
import { isExchangeAdapterError } from "../errors";
import { guideFor } from "../guide";
import { bybitGuide } from "./guide";
import { toDate } from "../normalize";
import { exportBybitHistory } from "./export-history";
import { bybitResult } from "./records";
import type { AdapterContext, ClassifiedError, ExchangeAdapter, KeyCredentials, KeyDescription, NormalizedPermissions, RevokeSelfResult } from "../types";

const ID = "bybit";
const NAME = "Bybit";

// --- classification -------------------------------------------------------------------------

// 10003: Bybit does not know the key. 33004: the key has expired and can never be used again,
// which is as good as deleted. 10010 (IP mismatch) and 10005 (permission denied) are answered
// for a key Bybit found: it is alive. 10004 (bad signature) is answered for a known key id
// with the wrong secret: ambiguous, never revoked.
export const bybitErrors: ExchangeErrorTable = {
  codes: {
    "10003": v("revoked", "key_not_found"),
    "33004": v("revoked", "key_expired"),
    "10004": v("ambiguous", "bad_signature"),
    "10007": v("ambiguous", "unknown"),
    "10008": v("ambiguous", "key_frozen"),
    "10010": v("valid", "ip_not_allowed"),
    "10005": v("valid", "permission_denied"),
    "10002": v("unreachable", "clock_skew"),
    "10006": v("unreachable", "rate_limited"),
    "10009": v("unreachable", "rate_limited"),
    "10018": v("unreachable", "rate_limited"),
    "10000": v("unreachable", "exchange_unavailable"),
    "10016": v("unreachable", "exchange_unavailable"),
  },
  messages: [],
  unknownAuthentication: v("ambiguous", "unknown"),
};

export function classifyBybitError(error: unknown): ClassifiedError {
  return classifyWith(bybitErrors, error);
}

// Spot only, should anything load ccxt's markets: ccxt's currency list is a private call that a
// restricted key may fail. The export reads instruments-info per category itself.
export const BYBIT_CCXT_OPTIONS = { fetchMarkets: { types: ["spot"] } };

function bybitClient(credentials: KeyCredentials, context: AdapterContext): Exchange {
  return createExchange(ID, credentials, { ...context, options: BYBIT_CCXT_OPTIONS });
}

// --- describeKey ------------------------------------------------------------------------------

const queryApiSchema = z.looseObject({
  note: z.string().optional(),
  readOnly: z.union([z.number(), z.string()]),
  permissions: z.record(z.string(), z.array(z.string()).nullable()),
  ips: z.array(z.string()).optional(),
  expiredAt: z.string().optional().nullable(),
  createdAt: z.string().optional().nullable(),
});

const has = (permissions: Record<string, string[] | null>, group: string, name: string) =>
  (permissions[group] ?? []).includes(name);

const MAPPED = new Set([
  "Spot:SpotTrade",
  "ContractTrade:Order",
  "ContractTrade:Position",
  "Derivatives:DerivativesTrade",
  "Wallet:AccountTransfer",
  "Wallet:SubMemberTransfer",
  "Wallet:Withdraw",
]);

/**
 * query-api's permissions in the common words. Bybit has no separate margin permission: spot
 * margin orders ride on SpotTrade. readOnly=1 overrides any trade permission. Pure.
 */
export function bybitPermissions(readOnly: number | string, permissions: Record<string, string[] | null>): NormalizedPermissions {
  const writable = String(readOnly) === "0";
  const spot = writable && has(permissions, "Spot", "SpotTrade");
  const other = Object.entries(permissions)
    .flatMap(([group, names]) => (names ?? []).map((name) => `${group}:${name}`))
    .filter((name) => !MAPPED.has(name))
    .sort();
  return {
    read: true,
    spotTrade: spot,
    marginTrade: spot,
    futuresTrade:
      writable &&
      (has(permissions, "ContractTrade", "Order") ||
        has(permissions, "ContractTrade", "Position") ||
        has(permissions, "Derivatives", "DerivativesTrade")),
    withdraw: writable && has(permissions, "Wallet", "Withdraw"),
    transfer: writable && (has(permissions, "Wallet", "AccountTransfer") || has(permissions, "Wallet", "SubMemberTransfer")),
    other,
  };
}

async function describeBybitKey(credentials: KeyCredentials, context: AdapterContext): Promise<KeyDescription> {
  return describeOrClassify(classifyBybitError, async () => {
    const exchange = bybitClient(credentials, context);
    const raw = await callExchange({ exchange, pacer: context.pacer, classify: classifyBybitError, request: { endpoint: "user/query-api", weight: 1 } }, () =>
      exchange.privateGetV5UserQueryApi(),
    );
    const parsed = queryApiSchema.safeParse(bybitResult(raw, "GET /v5/user/query-api"));
    if (!parsed.success) throw malformed(ID, "GET /v5/user/query-api");
    const key = parsed.data;
    // "*" (or nothing) means any IP may use the key
    const ipWhitelist = (key.ips ?? []).filter((ip) => ip !== "*" && ip.trim() !== "");
    return {
      status: "valid",
      permissions: bybitPermissions(key.readOnly, key.permissions),
      rawPermissions: key.permissions,
      ipRestricted: ipWhitelist.length > 0,
      ipWhitelist,
      createdAt: toDate(key.createdAt),
      expiresAt: toDate(key.expiredAt),
      label: key.note ?? null,
      permissionsKnown: true,
      raw,
    };
  });
}

// --- revokeSelf -------------------------------------------------------------------------------

/** POST /v5/user/delete-api: the calling key deletes itself (needs a transfer or withdrawal permission). */
async function revokeBybitKey(credentials: KeyCredentials, context: AdapterContext): Promise<RevokeSelfResult> {
  try {
    const exchange = bybitClient(credentials, context);
    const raw = await callExchange({ exchange, pacer: context.pacer, classify: classifyBybitError, request: { endpoint: "user/delete-api", weight: 1 } }, () =>
      exchange.privatePostV5UserDeleteApi(),
    );
    bybitResult(raw, "POST /v5/user/delete-api");
    return { status: "deleted" };
  } catch (error) {
    const classified = isExchangeAdapterError(error) ? error.classified : classifyBybitError(error);
    if (classified.reason === "permission_denied") {
      return {
        status: "not_permitted",
        reason: classified.reason,
        message: "Bybit lets a key delete itself only when it holds Account Transfer, Subaccount Transfer or Withdrawal permission.",
        ...(classified.code !== undefined ? { code: classified.code } : {}),
      };
    }
    return { status: "failed", error: classified };
  }
}

// --- exportHistory -----------------------------------------------------------------------------

export {
  BYBIT_EXECUTIONS_LIMIT,
  BYBIT_HISTORY_MS,
  BYBIT_RUN_OVERLAP_MS,
  BYBIT_TRANSFER_WINDOW_MS,
  BYBIT_WINDOW_MS,
  parseBybitCursor,
  type BybitCursor,
} from "./export-history";
export { normalizeBybitDeposit, normalizeBybitExecution, normalizeBybitWithdrawal, type BybitMarketInfo } from "./records";

// --- adapter ----------------------------------------------------------------------------------

export function createBybitAdapter(context: AdapterContext = {}): ExchangeAdapter {
  return {
    id: ID,
    displayName: NAME,
    requiresPassphrase: false,
    full: true,
    guide: guideFor(ID, NAME, bybitGuide),
    history: { products: ["spot", "usdm", "coinm", "option"], records: ["transfers"], fullScan: false, pacing: "cooldown" },
    describeKey: (credentials) => describeBybitKey(credentials, context),
    classifyError: classifyBybitError,
    classifyRevocation: (error) => classifyBybitError(error).status,
    exportHistory: (credentials, cursor, options = {}) =>
      exportBybitHistory(bybitClient(credentials, context), classifyBybitError, cursor, { ...options, pacer: options.pacer ?? context.pacer }),
    revokeSelf: (credentials) => revokeBybitKey(credentials, context),
  };
}
