import "server-only";
import type { Exchange } from "ccxt";
import { z } from "zod";
import { callExchange, describeOrClassify, malformed } from "../call";
import { createExchange } from "../ccxt-client";
import { classifyWith, verdict as v, type ExchangeErrorTable } from "../classify";
import { guideFor } from "../guide";
import { toDate } from "../normalize";
import type { AdapterContext, ClassifiedError, ExchangeAdapter, KeyCredentials, KeyDescription, NormalizedPermissions } from "../types";
import { exportBitgetHistory } from "./export-history";
import { bitgetGuide } from "./guide";
import { withBitgetLimits } from "./pacing";
import { bitgetData } from "./records";

const ID = "bitget";
const NAME = "Bitget";

// --- classification -------------------------------------------------------------------------

// Bitget's documented codes (https://www.bitget.com/api-doc/common/error-code/restapi, and the
// same table in ccxt's bitget class): 40037 "Apikey does not exist" is what Bitget answers for a
// key it does not have, deleted or never created; 40006 "Invalid ACCESS_KEY" for a key string it
// does not recognise as one of its keys, which for a key that worked at binding time is the same
// fact. Those two alone are revocations. 40018 "Invalid IP" (the caller is not on the key's
// whitelist) and 40014 "Incorrect permissions" are answered for a key Bitget found: the key is
// alive. A bad signature (40009) or passphrase (40012, "apikey/password is incorrect") proves
// nothing either way; 40013 is a frozen user, 40031 a closed account; 40004/40005/40008 a clock
// out of step; 429 the frequency limit.
export const bitgetErrors: ExchangeErrorTable = {
  codes: {
    "40037": v("revoked", "key_not_found"),
    "40006": v("revoked", "key_not_found"),
    "40001": v("ambiguous", "configuration"),
    "40002": v("ambiguous", "configuration"),
    "40003": v("ambiguous", "configuration"),
    "40011": v("ambiguous", "configuration"),
    "40009": v("ambiguous", "bad_signature"),
    "40012": v("ambiguous", "bad_passphrase"),
    "40013": v("ambiguous", "key_frozen"),
    "40031": v("ambiguous", "key_frozen"),
    "40014": v("valid", "permission_denied"),
    "40018": v("valid", "ip_not_allowed"),
    "40004": v("unreachable", "clock_skew"),
    "40005": v("unreachable", "clock_skew"),
    "40008": v("unreachable", "clock_skew"),
    "40015": v("unreachable", "exchange_unavailable"),
    "429": v("unreachable", "rate_limited"),
  },
  messages: [],
  // an AuthenticationError whose code is unknown proves nothing
  unknownAuthentication: v("ambiguous", "unknown"),
};

export function classifyBitgetError(error: unknown): ClassifiedError {
  return classifyWith(bitgetErrors, error);
}

function bitgetClient(credentials: KeyCredentials, context: AdapterContext): Exchange {
  return createExchange(ID, credentials, context);
}

// --- describeKey ------------------------------------------------------------------------------

const infoSchema = z.looseObject({
  userId: z.union([z.string(), z.number()]).optional(),
  ips: z.string().nullable().optional(),
  authorities: z.array(z.string()),
  parentId: z.union([z.string(), z.number()]).nullable().optional(),
  traderType: z.string().optional(),
  regisTime: z.union([z.string(), z.number()]).optional(),
});

// Bitget's authority codes: per area a read-only one (…r) and a read-and-write one (…w).
// https://www.bitget.com/api-doc/spot/account/Get-Account-Info
const READ_WRITE = { spot: "stow", margin: "smow", futuresOrders: "coow", futuresPositions: "cpow", transfer: "wtow", withdraw: "wwow" } as const;
const KNOWN = new Set(["stor", "stow", "smor", "smow", "coor", "coow", "cpor", "cpow", "wtor", "wtow", "wwow", "readonly", "trade"]);

/** Bitget's authorities ("stow", "coor", "wwow"...) in the common words. Pure. */
export function bitgetPermissions(authorities: readonly string[]): NormalizedPermissions {
  const granted = new Set(authorities.map((a) => a.trim()).filter(Boolean));
  // "readonly" and "trade" are the words of keys made before Bitget's per-area authorities
  const legacyTrade = granted.has("trade");
  return {
    // any authority reads its area; a key always has one
    read: granted.size > 0,
    spotTrade: granted.has(READ_WRITE.spot) || legacyTrade,
    marginTrade: granted.has(READ_WRITE.margin) || legacyTrade,
    futuresTrade: granted.has(READ_WRITE.futuresOrders) || granted.has(READ_WRITE.futuresPositions) || legacyTrade,
    withdraw: granted.has(READ_WRITE.withdraw),
    transfer: granted.has(READ_WRITE.transfer),
    other: [...granted].filter((a) => !KNOWN.has(a)).sort(),
  };
}

async function describeBitgetKey(credentials: KeyCredentials, context: AdapterContext): Promise<KeyDescription> {
  return describeOrClassify(classifyBitgetError, async () => {
    const exchange = bitgetClient(credentials, context);
    const raw = await callExchange(
      { exchange, pacer: withBitgetLimits(context.pacer), classify: classifyBitgetError, request: { endpoint: "spot/account/info", weight: 1 } },
      () => exchange.privateSpotGetV2SpotAccountInfo(),
    );
    const parsed = infoSchema.safeParse(bitgetData(raw, "GET /api/v2/spot/account/info"));
    if (!parsed.success) throw malformed(ID, "GET /api/v2/spot/account/info");
    const info = parsed.data;
    const ipWhitelist = (info.ips ?? "")
      .split(",")
      .map((ip) => ip.trim())
      .filter(Boolean);
    const userId = info.userId === undefined ? null : String(info.userId);
    const parentId = info.parentId === undefined || info.parentId === null ? null : String(info.parentId);
    return {
      status: "valid",
      permissions: bitgetPermissions(info.authorities),
      rawPermissions: {
        authorities: info.authorities,
        userId,
        parentId,
        // a sub-account's key names its main account as parent
        subAccount: userId !== null && parentId !== null && parentId !== userId,
        traderType: info.traderType ?? null,
        registeredAt: toDate(info.regisTime)?.toISOString() ?? null,
      },
      ipRestricted: ipWhitelist.length > 0,
      ipWhitelist,
      // Bitget tells the account's registration (regisTime), not when the key was made
      createdAt: null,
      // account/info says nothing of the key's expiry
      expiresAt: null,
      label: null,
      permissionsKnown: true,
      raw,
    };
  });
}

// --- adapter ----------------------------------------------------------------------------------

export { BITGET_MIX_WINDOW_MS, BITGET_PAGE_LIMIT, BITGET_RETENTION_MS, BITGET_SPOT_WINDOW_MS, parseBitgetCursor, type BitgetCursor } from "./export-history";
export { BITGET_PER_SECOND, withBitgetLimits } from "./pacing";
export { normalizeBitgetMixFill, normalizeBitgetSpotFill } from "./records";

export function createBitgetAdapter(context: AdapterContext = {}): ExchangeAdapter {
  return {
    id: ID,
    displayName: NAME,
    requiresPassphrase: true,
    full: true,
    guide: guideFor(ID, NAME, bitgetGuide),
    history: { products: ["spot", "usdm", "coinm"], records: [], fullScan: false, pacing: "cooldown" },
    describeKey: (credentials) => describeBitgetKey(credentials, context),
    classifyError: classifyBitgetError,
    classifyRevocation: (error) => classifyBitgetError(error).status,
    exportHistory: (credentials, cursor, options = {}) =>
      exportBitgetHistory(bitgetClient(credentials, context), classifyBitgetError, cursor, { ...options, pacer: withBitgetLimits(options.pacer ?? context.pacer) }),
  };
}
