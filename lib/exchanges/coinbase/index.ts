import "server-only";
import type { Exchange } from "ccxt";
import { z } from "zod";
import { callExchange, describeOrClassify, malformed } from "../call";
import { createExchange } from "../ccxt-client";
import { classifyWith, verdict as v, type ExchangeErrorTable } from "../classify";
import { guideFor } from "../guide";
import type { AdapterContext, ClassifiedError, ExchangeAdapter, KeyCredentials, KeyDescription, NormalizedPermissions } from "../types";
import { exportCoinbaseHistory } from "./export-history";
import { coinbaseGuide } from "./guide";

// Coinbase Advanced Trade through ccxt's `coinbase` class, with CDP API keys: the API key is the
// key's name, organizations/{org_id}/apiKeys/{key_id}, and the secret its EC P-256 private key
// in PEM. ccxt signs every request as an ES256 JWT (kid and nonce in the header; sub, iss, nbf,
// exp = nbf + 120 s and uri "METHOD host/path" in the claims).
//
// What Coinbase can and cannot tell, and what this adapter therefore says:
// - GET /api/v3/brokerage/key_permissions describes the calling key: can_view, can_trade,
//   can_transfer and the portfolio it is scoped to (portfolio_uuid, portfolio_type). Nothing
//   else: the key's IP allowlist (set in the CDP portal), its expiry and its creation date are
//   not in any API answer, so the description marks the allowlist and the expiry as not
//   reported by the exchange instead of claiming there are none.
// - Every authentication failure is the same HTTP 401 with the plain-text body "Unauthorized":
//   a deleted key, a key that never existed, a JWT signed with another private key, an expired
//   JWT, a uri claim for another request, and a caller outside the key's IP allowlist. Coinbase
//   documents no code that tells them apart, and its own SDKs' users report 401 for throttling
//   and for valid tokens too (coinbase/coinbase-advanced-py#60, #132). So no Coinbase answer
//   proves a key deleted: a 401 is "ambiguous", never "revoked", and the unbind completes only
//   on the user's re-authenticated word, with a week of re-checks (unprovableDeletion below;
//   docs/adding-an-exchange.md, "Exchanges that cannot prove a deletion").
// - 403 PERMISSION_DENIED "Missing required scopes" comes only after Coinbase verified the JWT
//   with the key's public key: the key exists (valid), it lacks the scope (view, for fills).
// - 429 (Coinbase's gateway may answer it as an HTML page) and 5xx: unreachable, retry later.
//   Coinbase states 30 requests a second per key for private endpoints; the export is paced
//   by the shared cooldown pacer and ccxt's own limiter.

const ID = "coinbase";
const NAME = "Coinbase";

const UNPROVABLE =
  "Coinbase answers a deleted key with the same “401 Unauthorized” it gives a wrong private key, an expired signature or an address outside the key's IP allowlist";

// Coinbase's bodies say `error` (PERMISSION_DENIED, INVALID_ARGUMENT, ...), not a numeric code:
// ccxt puts the body at the end of its message, and the table reads it from there.
const ERRORS: Array<[string, ReturnType<typeof v>]> = [
  ["PERMISSION_DENIED", v("valid", "permission_denied")],
  ["INVALID_ARGUMENT", v("ambiguous", "configuration")],
  ["RESOURCE_EXHAUSTED", v("unreachable", "rate_limited")],
  ["rate_limit_exceeded", v("unreachable", "rate_limited")],
];

export const coinbaseErrors: ExchangeErrorTable = {
  codes: {},
  messages: [
    ...ERRORS.map(([error, verdict]): [RegExp, typeof verdict & { code: string }] => [new RegExp(`"error"\\s*:\\s*"${error}"`, "i"), { ...verdict, code: error }]),
    // older answers carry the reason in error_details only ({"error":"unknown","error_details":"Missing required scopes"})
    [/missing required scopes/i, { ...v("valid", "permission_denied"), code: "PERMISSION_DENIED" }],
  ],
  // a 401 "Unauthorized" (no body to read): deleted, mis-signed, expired or IP-refused alike
  unknownAuthentication: v("ambiguous", "key_refused"),
};

export function classifyCoinbaseError(error: unknown): ClassifiedError {
  return classifyWith(coinbaseErrors, error);
}

function coinbaseClient(credentials: KeyCredentials, context: AdapterContext): Exchange {
  return createExchange(ID, credentials, context);
}

// --- describeKey ------------------------------------------------------------------------------

const permissionsSchema = z.looseObject({
  can_view: z.boolean(),
  can_trade: z.boolean(),
  can_transfer: z.boolean(),
  portfolio_uuid: z.string().optional(),
  portfolio_type: z.string().optional(),
});

export type CoinbaseKeyPermissions = z.infer<typeof permissionsSchema>;

/**
 * Coinbase's three scopes in the common words. Pure. `trade` is not limited to a product: it
 * places orders on whatever the key's portfolio trades, futures and perpetuals included, and
 * Coinbase has no spot margin for it to cover. `transfer` sends funds out of the portfolio: a
 * withdrawal and a transfer both.
 */
export function coinbasePermissions(p: Pick<CoinbaseKeyPermissions, "can_view" | "can_trade" | "can_transfer">): NormalizedPermissions {
  return {
    read: p.can_view,
    spotTrade: p.can_trade,
    marginTrade: false,
    futuresTrade: p.can_trade,
    withdraw: p.can_transfer,
    transfer: p.can_transfer,
    other: [],
  };
}

async function describeCoinbaseKey(credentials: KeyCredentials, context: AdapterContext): Promise<KeyDescription> {
  return describeOrClassify(classifyCoinbaseError, async () => {
    const exchange = coinbaseClient(credentials, context);
    const raw = await callExchange({ exchange, pacer: context.pacer, classify: classifyCoinbaseError, request: { endpoint: "key_permissions", weight: 1 } }, () =>
      exchange.v3PrivateGetBrokerageKeyPermissions(),
    );
    const parsed = permissionsSchema.safeParse(raw);
    if (!parsed.success) throw malformed(ID, "GET /api/v3/brokerage/key_permissions");
    const p = parsed.data;
    return {
      status: "valid",
      permissions: coinbasePermissions(p),
      rawPermissions: { can_view: p.can_view, can_trade: p.can_trade, can_transfer: p.can_transfer, portfolio_uuid: p.portfolio_uuid ?? null, portfolio_type: p.portfolio_type ?? null },
      // not "no allowlist": Coinbase does not say (unreported)
      ipRestricted: false,
      ipWhitelist: [],
      createdAt: null,
      expiresAt: null,
      unreported: ["ipWhitelist", "expiry"],
      label: null,
      permissionsKnown: true,
      raw,
    };
  });
}

// --- adapter ----------------------------------------------------------------------------------

export { COINBASE_PAGE_LIMIT, parseCoinbaseCursor, type CoinbaseCursor } from "./export-history";
export { coinbaseProduct, normalizeCoinbaseFill } from "./records";

export function createCoinbaseAdapter(context: AdapterContext = {}): ExchangeAdapter {
  return {
    id: ID,
    displayName: NAME,
    requiresPassphrase: false,
    full: true,
    unprovableDeletion: UNPROVABLE,
    credentials: {
      apiKeyLabel: "API key name",
      apiKeyHint: "organizations/…/apiKeys/…, as the CDP portal shows it.",
      secretLabel: "Private key",
      secretHint: "The whole EC private key, from -----BEGIN EC PRIVATE KEY----- to -----END EC PRIVATE KEY-----.",
      secretFormat: "pem",
    },
    guide: guideFor(ID, NAME, coinbaseGuide),
    history: { products: ["spot", "usdm"], records: [], fullScan: false, pacing: "cooldown" },
    describeKey: (credentials) => describeCoinbaseKey(credentials, context),
    classifyError: classifyCoinbaseError,
    classifyRevocation: (error) => classifyCoinbaseError(error).status,
    exportHistory: (credentials, cursor, options = {}) => exportCoinbaseHistory(coinbaseClient(credentials, context), classifyCoinbaseError, cursor, { ...options, pacer: options.pacer ?? context.pacer }),
  };
}
