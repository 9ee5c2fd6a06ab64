import "server-only";
import type { Exchange } from "ccxt";
import { z } from "zod";
import { callExchange, describeOrClassify, malformed } from "../call";
import { createExchange } from "../ccxt-client";
import { classifyWith, verdict as v, type ExchangeErrorTable, type Verdict } from "../classify";
import { toDate } from "../normalize";
import type { AdapterContext, ClassifiedError, ExchangeAdapter, KeyCredentials, KeyDescription, NormalizedPermissions, RequestPacer } from "../types";
import { exportGateHistory } from "./export-history";
import { guideFor } from "../guide";
import { gateGuide } from "./guide";

const ID = "gate";
const NAME = "Gate";

// --- classification -------------------------------------------------------------------------

// Gate answers errors with a `label`, not a number (https://www.gate.com/docs/developers/apiv4/#error-codes):
// INVALID_KEY ("Invalid key provided") is the only one that says the key does not exist.
// IP_FORBIDDEN (the caller's IP is not on the key's whitelist) and FORBIDDEN / READ_ONLY (the
// key lacks the permission) are answered for a key Gate found and whose signature it checked:
// the key is alive. A bad signature proves nothing; ACCOUNT_LOCKED is a locked key or account.
const LABELS: Record<string, Verdict> = {
  INVALID_KEY: v("revoked", "key_not_found"),
  INVALID_SIGNATURE: v("ambiguous", "bad_signature"),
  INVALID_CREDENTIALS: v("ambiguous", "unknown"),
  MISSING_REQUIRED_HEADER: v("ambiguous", "configuration"),
  ACCOUNT_LOCKED: v("ambiguous", "key_frozen"),
  IP_FORBIDDEN: v("valid", "ip_not_allowed"),
  FORBIDDEN: v("valid", "permission_denied"),
  READ_ONLY: v("valid", "permission_denied"),
  REQUEST_EXPIRED: v("unreachable", "clock_skew"),
  TOO_MANY_REQUESTS: v("unreachable", "rate_limited"),
  SERVER_ERROR: v("unreachable", "exchange_unavailable"),
};

export const gateErrors: ExchangeErrorTable = {
  codes: {},
  // ccxt appends Gate's body to its message; the label is read from there.
  messages: Object.entries(LABELS).map(([label, verdict]) => [new RegExp(`"label"\\s*:\\s*"${label}"`), { ...verdict, code: label }]),
  unknownAuthentication: v("ambiguous", "unknown"),
};

export function classifyGateError(error: unknown): ClassifiedError {
  return classifyWith(gateErrors, error);
}

/**
 * Gate says when its window resets in X-Gate-RateLimit-Reset-Timestamp (seconds), not in
 * Retry-After: hand that to the pacer as the rate limit's retry time.
 */
export function withGateReset(pacer: RequestPacer | undefined, now: () => number = Date.now): RequestPacer | undefined {
  if (!pacer) return undefined;
  return {
    beforeRequest: (...args: Parameters<RequestPacer["beforeRequest"]>) => pacer.beforeRequest(...args),
    afterResponse(request, outcome) {
      const resetAt = Number(outcome.headers["x-gate-ratelimit-reset-timestamp"]) * 1000;
      const error = outcome.error;
      if (error?.reason === "rate_limited" && error.retryAfterMs === undefined && Number.isFinite(resetAt) && resetAt > now()) {
        pacer.afterResponse(request, { ...outcome, error: { ...error, retryAfterMs: resetAt - now() } });
        return;
      }
      pacer.afterResponse(request, outcome);
    },
  };
}

function gateClient(credentials: KeyCredentials, context: AdapterContext): Exchange {
  return createExchange(ID, credentials, context);
}

// --- describeKey ------------------------------------------------------------------------------

const keySchema = z.looseObject({
  state: z.number().int().optional(),
  name: z.array(z.string()).optional(),
  ip_whitelist: z.array(z.string()).optional(),
  perms: z.array(z.looseObject({ name: z.string(), read_only: z.boolean() })).optional(),
  created_at: z.union([z.string(), z.number()]).optional(),
  last_access: z.union([z.string(), z.number()]).optional(),
});

const KNOWN = new Set(["wallet", "spot", "margin", "futures", "delivery"]);
const STATES: Record<number, string> = { 2: "locked", 3: "frozen" };

/** Gate's perms ([{name, read_only}]) and key state in the common words. Pure. */
export function gatePermissions(perms: Array<{ name: string; read_only: boolean }>, state?: number): NormalizedPermissions {
  const write = (name: string) => perms.some((p) => p.name === name && !p.read_only);
  const other = perms.filter((p) => !KNOWN.has(p.name)).map((p) => `${p.name}:${p.read_only ? "read" : "write"}`);
  if (state !== undefined && STATES[state]) other.push(`state:${STATES[state]}`);
  return {
    read: perms.length > 0,
    spotTrade: write("spot"),
    marginTrade: write("margin"),
    futuresTrade: write("futures") || write("delivery"),
    // Gate's wallet permission, writable, moves funds: withdrawals and transfers.
    withdraw: write("wallet"),
    transfer: write("wallet"),
    other: other.sort(),
  };
}

/** Gate's times are seconds (as strings); a JS Date wants milliseconds. */
function seconds(value: string | number | undefined): Date | null {
  if (value === undefined || value === "" || Number(value) <= 0) return null;
  return toDate(Math.round(Number(value) * 1000));
}

async function describeGateKey(credentials: KeyCredentials, context: AdapterContext): Promise<KeyDescription> {
  return describeOrClassify(classifyGateError, async () => {
    const exchange = gateClient(credentials, context);
    const raw = await callExchange({ exchange, pacer: withGateReset(context.pacer), classify: classifyGateError, request: { endpoint: "account/main_keys", weight: 1 } }, () =>
      exchange.privateAccountGetMainKeys(),
    );
    // the key calling it; some answers wrap it in a one-element list
    const entry = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
    const parsed = keySchema.safeParse(entry);
    if (!parsed.success || Array.isArray(entry)) throw malformed(ID, "GET /api/v4/account/main_keys");
    const info = parsed.data;
    const ipWhitelist = (info.ip_whitelist ?? []).map((ip) => ip.trim()).filter(Boolean);
    return {
      status: "valid",
      permissions: gatePermissions(info.perms ?? [], info.state),
      rawPermissions: { perms: info.perms ?? [], state: info.state ?? null, lastAccess: seconds(info.last_access)?.toISOString() ?? null },
      ipRestricted: ipWhitelist.length > 0,
      ipWhitelist,
      createdAt: seconds(info.created_at),
      // Gate expires keys without an IP whitelist after 90 days unused; the API does not say when.
      expiresAt: null,
      label: info.name?.[0] ?? null,
      permissionsKnown: true,
      raw,
    };
  });
}

// --- adapter ----------------------------------------------------------------------------------

export { GATE_PAGE_LIMIT, GATE_RETENTION_S, GATE_WINDOW_S, parseGateCursor, type GateCursor } from "./export-history";
export { normalizeGateTrade } from "./records";

export function createGateAdapter(context: AdapterContext = {}): ExchangeAdapter {
  return {
    id: ID,
    displayName: NAME,
    requiresPassphrase: false,
    full: true,
    guide: guideFor(ID, NAME, gateGuide),
    history: { products: ["spot", "margin", "isolated_margin"], records: [], fullScan: false, pacing: "cooldown" },
    describeKey: (credentials) => describeGateKey(credentials, context),
    classifyError: classifyGateError,
    classifyRevocation: (error) => classifyGateError(error).status,
    exportHistory: (credentials, cursor, options = {}) =>
      exportGateHistory(gateClient(credentials, context), classifyGateError, cursor, { ...options, pacer: withGateReset(options.pacer ?? context.pacer) }),
  };
}
