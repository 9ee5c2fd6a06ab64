import "server-only";
import type { Exchange } from "ccxt";
import { z } from "zod";
import { callExchange, describeOrClassify, malformed } from "../call";
import { createExchange } from "../ccxt-client";
import { classifyWith, verdict as v, type ExchangeErrorTable } from "../classify";
import { toDate } from "../normalize";
import type { AdapterContext, ClassifiedError, ExchangeAdapter, KeyCredentials, KeyDescription, NormalizedPermissions, RequestPacer } from "../types";
import { exportKucoinHistory } from "./export-history";
import { guideFor } from "../guide";
import { kucoinGuide } from "./guide";
import { kucoinData } from "./records";

const ID = "kucoin";
const NAME = "KuCoin";

// --- classification -------------------------------------------------------------------------

// KuCoin's documented authentication codes (https://www.kucoin.com/docs-new/error-code): only
// 400003 "KC-API-KEY not exists" says the key is gone (KuCoin answers it for a deleted key and
// for one that never existed alike). 400006 (the caller's IP is not on the key's whitelist) and
// 400007 (the key lacks the permission) are answered for a key KuCoin found, after checking its
// signature: the key is alive. A bad signature (400005) or passphrase (400004) proves nothing
// either way. 411100 is a frozen account, 400002 a clock out of step, 429000 the rate limit.
export const kucoinErrors: ExchangeErrorTable = {
  codes: {
    "400003": v("revoked", "key_not_found"),
    "400001": v("ambiguous", "configuration"),
    "400004": v("ambiguous", "bad_passphrase"),
    "400005": v("ambiguous", "bad_signature"),
    "400006": v("valid", "ip_not_allowed"),
    "400007": v("valid", "permission_denied"),
    "411100": v("ambiguous", "key_frozen"),
    "400002": v("unreachable", "clock_skew"),
    "429000": v("unreachable", "rate_limited"),
    "500000": v("unreachable", "exchange_unavailable"),
    "408000": v("unreachable", "timeout"),
  },
  messages: [],
  unknownAuthentication: v("ambiguous", "unknown"),
};

export function classifyKucoinError(error: unknown): ClassifiedError {
  return classifyWith(kucoinErrors, error);
}

/**
 * KuCoin says when its weight pool refills in gw-ratelimit-reset (milliseconds), not in
 * Retry-After: hand that to the pacer as the rate limit's retry time.
 */
export function withKucoinReset(pacer: RequestPacer | undefined): RequestPacer | undefined {
  if (!pacer) return undefined;
  return {
    beforeRequest: (...args: Parameters<RequestPacer["beforeRequest"]>) => pacer.beforeRequest(...args),
    afterResponse(request, outcome) {
      const reset = Number(outcome.headers["gw-ratelimit-reset"]);
      const error = outcome.error;
      if (error?.reason === "rate_limited" && error.retryAfterMs === undefined && Number.isFinite(reset) && reset > 0) {
        pacer.afterResponse(request, { ...outcome, error: { ...error, retryAfterMs: reset } });
        return;
      }
      pacer.afterResponse(request, outcome);
    },
  };
}

function kucoinClient(credentials: KeyCredentials, context: AdapterContext): Exchange {
  return createExchange(ID, credentials, context);
}

// --- describeKey ------------------------------------------------------------------------------

const apiKeySchema = z.looseObject({
  remark: z.string().optional(),
  apiKey: z.string(),
  permission: z.string(),
  ipWhitelist: z.string().optional(),
  createdAt: z.union([z.number(), z.string()]).optional(),
});

const KNOWN = new Set(["General", "Spot", "Margin", "Futures", "Withdrawal", "InnerTransfer", "Transfer"]);

/** "General,Spot,Margin,Futures,InnerTransfer,Withdrawal" in the common words. Pure. */
export function kucoinPermissions(permission: string): NormalizedPermissions {
  const granted = new Set(
    permission
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean),
  );
  return {
    // General is KuCoin's reading permission; every key has it.
    read: granted.has("General"),
    spotTrade: granted.has("Spot"),
    marginTrade: granted.has("Margin"),
    futuresTrade: granted.has("Futures"),
    withdraw: granted.has("Withdrawal"),
    transfer: granted.has("InnerTransfer") || granted.has("Transfer"),
    other: [...granted].filter((p) => !KNOWN.has(p)).sort(),
  };
}

async function describeKucoinKey(credentials: KeyCredentials, context: AdapterContext): Promise<KeyDescription> {
  return describeOrClassify(classifyKucoinError, async () => {
    const exchange = kucoinClient(credentials, context);
    const raw = await callExchange({ exchange, pacer: withKucoinReset(context.pacer), classify: classifyKucoinError, request: { endpoint: "user/api-key", weight: 20 } }, () =>
      exchange.privateGetUserApiKey(),
    );
    const parsed = apiKeySchema.safeParse(kucoinData(raw, "GET /api/v1/user/api-key"));
    if (!parsed.success) throw malformed(ID, "GET /api/v1/user/api-key");
    const info = parsed.data;
    const ipWhitelist = (info.ipWhitelist ?? "")
      .split(",")
      .map((ip) => ip.trim())
      .filter(Boolean);
    return {
      status: "valid",
      permissions: kucoinPermissions(info.permission),
      rawPermissions: info.permission,
      ipRestricted: ipWhitelist.length > 0,
      ipWhitelist,
      createdAt: toDate(info.createdAt),
      // KuCoin keys do not expire by date.
      expiresAt: null,
      label: info.remark ?? null,
      permissionsKnown: true,
      raw,
    };
  });
}

// --- adapter ----------------------------------------------------------------------------------

export { KUCOIN_FILLS_LIMIT, KUCOIN_RETENTION_MS, KUCOIN_WINDOW_MS, parseKucoinCursor, type KucoinCursor } from "./export-history";
export { normalizeKucoinFill } from "./records";

export function createKucoinAdapter(context: AdapterContext = {}): ExchangeAdapter {
  return {
    id: ID,
    displayName: NAME,
    requiresPassphrase: true,
    full: true,
    guide: guideFor(ID, NAME, kucoinGuide),
    history: { products: ["spot", "margin", "isolated_margin"], records: [], fullScan: false, pacing: "cooldown" },
    describeKey: (credentials) => describeKucoinKey(credentials, context),
    classifyError: classifyKucoinError,
    classifyRevocation: (error) => classifyKucoinError(error).status,
    exportHistory: (credentials, cursor, options = {}) =>
      exportKucoinHistory(kucoinClient(credentials, context), classifyKucoinError, cursor, { ...options, pacer: withKucoinReset(options.pacer ?? context.pacer) }),
  };
}
