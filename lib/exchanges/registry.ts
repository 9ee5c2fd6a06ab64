import "server-only";
import { AppError } from "@/lib/errors";
import { exchangeClass, exchangeIds } from "./ccxt-client";
import { ExchangeAdapterError } from "./errors";
import { FULL_ADAPTERS } from "./full-adapters";
import { createGenericAdapter } from "./generic";
import { sharedPacer, withDeadline } from "./pacing/shared";
import type { AdapterContext, CredentialForm, ExchangeAdapter } from "./types";

// Which exchanges a user can bind, and the adapter for each. The full adapters are listed in
// full-adapters.ts and describe themselves; any other ccxt exchange whose keys are an API key, a secret and perhaps a
// passphrase gets the generic one (balance check, unified trade export, generic guide).

export interface SupportedExchange {
  id: string;
  displayName: string;
  requiresPassphrase: boolean;
  /** Permissions, IP restriction and dates come from the exchange (else unknown). */
  full: boolean;
  /** The bind form's words and secret format, where the adapter declares its own. */
  credentials?: CredentialForm;
}

// A Map, not an object literal: ids come from users, and `FULL["constructor"]` on an object is
// Object itself (`POST /api/keys` with exchange "constructor" used to answer 500). Each adapter
// is made once without a context to read what it says about itself (cheap: no ccxt instance).
const FULL = new Map<string, (context?: AdapterContext) => ExchangeAdapter>(FULL_ADAPTERS.map((create) => [create().id, create]));

const FULL_LIST: SupportedExchange[] = FULL_ADAPTERS.map((create) => {
  const { id, displayName, requiresPassphrase, full, credentials } = create();
  return { id, displayName, requiresPassphrase, full, ...(credentials ? { credentials } : {}) };
});

const KEY_CREDENTIALS = new Set(["apiKey", "secret", "password"]);

let generic: SupportedExchange[] | undefined;

function genericExchanges(): SupportedExchange[] {
  if (generic) return generic;
  const list: SupportedExchange[] = [];
  for (const id of exchangeIds()) {
    if (FULL.has(id)) continue;
    const Class = exchangeClass(id);
    if (!Class) continue;
    const probe = new Class();
    const needs = Object.entries(probe.requiredCredentials ?? {})
      .filter(([, required]) => required === true)
      .map(([name]) => name);
    // wallet-signing exchanges (privateKey, walletAddress, uid...) do not fit our key form
    if (!needs.every((name) => KEY_CREDENTIALS.has(name))) continue;
    if (probe.has.fetchBalance !== true) continue;
    list.push({ id, displayName: String(probe.name ?? id), requiresPassphrase: needs.includes("password"), full: false });
  }
  generic = list.sort((a, b) => a.displayName.localeCompare(b.displayName));
  return generic;
}

/** Full adapters first, then every other usable ccxt exchange by name. */
export function supportedExchanges(): SupportedExchange[] {
  return [...FULL_LIST, ...genericExchanges()];
}

/** The names of the exchanges with full adapters, in words ("A, B and C"): for pages that list them. */
export function fullExchangeNames(): string {
  const names = FULL_LIST.map((e) => e.displayName);
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

export function isSupportedExchange(exchangeId: string): boolean {
  return FULL.has(exchangeId) || genericExchanges().some((e) => e.id === exchangeId);
}

/**
 * Whether the exchange's answers can prove a key deleted: a full adapter's can, unless it says
 * why not (unprovableDeletion). Otherwise the unbind completes on the user's acknowledgement.
 */
export function canProveDeletion(adapter: Pick<ExchangeAdapter, "full" | "unprovableDeletion">): boolean {
  return adapter.full && adapter.unprovableDeletion === undefined;
}

/** The adapter for a ccxt exchange id; BAD_REQUEST (field "exchange") for anything we cannot bind. */
export function getAdapter(exchangeId: string, context: AdapterContext = {}): ExchangeAdapter {
  const full = FULL.get(exchangeId);
  if (full) return full(context);
  if (!isSupportedExchange(exchangeId)) {
    throw new AppError("BAD_REQUEST", `Exchange "${exchangeId}" is not supported: choose one from the list.`, { field: "exchange" });
  }
  return createGenericAdapter(exchangeId, context);
}

/** How long a check a user waits for may wait for the exchange budget, unless its context says. */
const INTERACTIVE_WAIT_MS = 10_000;

/**
 * The adapter for a check a user waits for (a live check, a bind, an unbind confirmation): its
 * requests go through the process-wide pacer of the exchange and origin, the one exports use
 * (pacing/shared.ts). Each check alone is light, but a dashboard reloaded by many users, or
 * beside a running export, would otherwise push this server's IP over the exchange's limit,
 * and Binance bans (418) an IP that keeps sending after a 429. A check that cannot get budget
 * within its time limit answers "unreachable, rate limited" without sending. Its requests go
 * ahead of exports and scheduled checks (PacedRequest.priority), unless `context.priority` says
 * that a schedule, not a user, waits for this one.
 */
export function getPacedAdapter(exchangeId: string, context: AdapterContext = {}): ExchangeAdapter {
  if (context.pacer) return getAdapter(exchangeId, context);
  const { id, history } = getAdapter(exchangeId, context);
  const shared = sharedPacer(id, history.pacing, context.env ?? process.env);
  const pacer = withDeadline(
    shared,
    context.timeoutMs ?? INTERACTIVE_WAIT_MS,
    () => new ExchangeAdapterError(id, { status: "unreachable", reason: "rate_limited", message: "held back: this server's request budget for the exchange is spent for now" }),
    context.priority ?? "interactive",
  );
  return getAdapter(exchangeId, { ...context, pacer });
}

/** What an exchange's export reads (ExportCapabilities), for pages that offer its options. */
export function exportCapabilities(exchangeId: string): ExchangeAdapter["history"] {
  return getAdapter(exchangeId).history;
}
