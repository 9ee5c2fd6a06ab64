import "server-only";
import type { Exchange } from "ccxt";
import { z } from "zod";
import { callExchange, describeOrClassify, malformed } from "../call";
import { createExchange } from "../ccxt-client";
import { classifyWith, verdict as v, type ExchangeErrorTable } from "../classify";
import { guideFor } from "../guide";
import { okxGuide } from "./guide";
import { exportOkxHistory } from "./export-history";
import { okxData } from "./records";
import type { AdapterContext, ClassifiedError, ExchangeAdapter, KeyCredentials, KeyDescription, NormalizedPermissions } from "../types";

const ID = "okx";
const NAME = "OKX";

// --- classification -------------------------------------------------------------------------

// OKX looks the key up before anything else: 50111 / 50119 mean it does not exist. 50110 (IP
// not on the key's whitelist) and 50120 (permission missing) can only be answered for a key
// OKX found, so the key is alive ("valid" for a revocation check). A wrong secret (50113) or
// passphrase (50105) is answered for an existing key id too, but proves nothing about whether
// our stored key is the one the user sees: ambiguous, never revoked.
export const okxErrors: ExchangeErrorTable = {
  codes: {
    "50111": v("revoked", "key_not_found"),
    "50119": v("revoked", "key_not_found"),
    "50113": v("ambiguous", "bad_signature"),
    "50105": v("ambiguous", "bad_passphrase"),
    "50114": v("ambiguous", "unknown"),
    "50100": v("ambiguous", "key_frozen"),
    "50101": v("ambiguous", "configuration"),
    "50103": v("ambiguous", "configuration"),
    "50104": v("ambiguous", "configuration"),
    "50106": v("ambiguous", "configuration"),
    "50107": v("ambiguous", "configuration"),
    "50121": v("ambiguous", "ip_not_allowed"),
    "50110": v("valid", "ip_not_allowed"),
    "50120": v("valid", "permission_denied"),
    "50102": v("unreachable", "clock_skew"),
    "50112": v("unreachable", "clock_skew"),
    "50011": v("unreachable", "rate_limited"),
    "50040": v("unreachable", "rate_limited"),
    "50061": v("unreachable", "rate_limited"),
    "50001": v("unreachable", "exchange_unavailable"),
    "50004": v("unreachable", "timeout"),
    "50013": v("unreachable", "exchange_unavailable"),
    "50026": v("unreachable", "exchange_unavailable"),
  },
  messages: [],
  unknownAuthentication: v("ambiguous", "unknown"),
};

export function classifyOkxError(error: unknown): ClassifiedError {
  return classifyWith(okxErrors, error);
}

function okxClient(credentials: KeyCredentials, context: AdapterContext): Exchange {
  return createExchange(ID, credentials, context);
}

// --- describeKey ------------------------------------------------------------------------------

const configSchema = z.looseObject({
  perm: z.string(),
  ip: z.string().optional(),
  label: z.string().optional(),
});

/** "read_only,trade,withdraw" in the common words. OKX's trade permission covers spot, margin, derivatives and funds transfer. Pure. */
export function okxPermissions(perm: string): NormalizedPermissions {
  const granted = new Set(
    perm
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean),
  );
  const trade = granted.has("trade");
  return {
    read: granted.has("read_only") || granted.size > 0,
    spotTrade: trade,
    marginTrade: trade,
    futuresTrade: trade,
    withdraw: granted.has("withdraw"),
    transfer: trade,
    other: [...granted].filter((p) => !["read_only", "trade", "withdraw"].includes(p)).sort(),
  };
}

async function describeOkxKey(credentials: KeyCredentials, context: AdapterContext): Promise<KeyDescription> {
  return describeOrClassify(classifyOkxError, async () => {
    const exchange = okxClient(credentials, context);
    const raw = await callExchange({ exchange, pacer: context.pacer, classify: classifyOkxError, request: { endpoint: "account/config", weight: 1 } }, () =>
      exchange.privateGetAccountConfig(),
    );
    const parsed = configSchema.safeParse(okxData(raw, "GET /api/v5/account/config")[0]);
    if (!parsed.success) throw malformed(ID, "GET /api/v5/account/config");
    const config = parsed.data;
    const ipWhitelist = (config.ip ?? "")
      .split(",")
      .map((ip) => ip.trim())
      .filter(Boolean);
    return {
      status: "valid",
      permissions: okxPermissions(config.perm),
      rawPermissions: config.perm,
      ipRestricted: ipWhitelist.length > 0,
      ipWhitelist,
      // OKX does not report when a key was created or when it expires (keys without an IP
      // whitelist lapse after 14 days unused; that is not in the API).
      createdAt: null,
      expiresAt: null,
      label: config.label ?? null,
      permissionsKnown: true,
      raw,
    };
  });
}

// --- exportHistory -----------------------------------------------------------------------------

export { archivedQuarters, OKX_ARCHIVE_MS, OKX_FILLS_HISTORY_MS, OKX_FILLS_LIMIT, parseOkxCursor, type OkxCursor } from "./export-history";
export { csvRecords, parseCsv, readFillsArchive } from "./archive-file";
export { normalizeOkxDeposit, normalizeOkxFill, normalizeOkxWithdrawal, okxProduct } from "./records";

// --- adapter ----------------------------------------------------------------------------------

export function createOkxAdapter(context: AdapterContext = {}): ExchangeAdapter {
  return {
    id: ID,
    displayName: NAME,
    requiresPassphrase: true,
    full: true,
    guide: guideFor(ID, NAME, okxGuide),
    history: { products: ["spot", "margin", "usdm", "coinm", "option"], records: ["transfers"], fullScan: false, pacing: "cooldown" },
    describeKey: (credentials) => describeOkxKey(credentials, context),
    classifyError: classifyOkxError,
    classifyRevocation: (error) => classifyOkxError(error).status,
    exportHistory: (credentials, cursor, options = {}) =>
      exportOkxHistory(okxClient(credentials, context), classifyOkxError, cursor, { ...options, pacer: options.pacer ?? context.pacer }),
  };
}
