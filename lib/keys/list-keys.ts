import "server-only";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { supportedExchanges } from "@/lib/exchanges/registry";
import type { NormalizedPermissions, UnreportedFact } from "@/lib/exchanges/types";
import { bindingFactsSelect } from "./binding-facts";
import type { LiveFacts } from "./live-facts";
import { riskFlags, type RiskFlag } from "./risk-flags";

// The user's bindings as the dashboard and GET /api/keys show them: stored facts, plus the
// live answer when there is one. Never a secret: the secret columns are not even selected.

const bindingSelect = {
  ...bindingFactsSelect,
  lastUsedAt: true,
  bots: { select: { id: true, name: true, status: true }, orderBy: { name: "asc" } },
} as const;

export type BindingRow = Awaited<ReturnType<typeof listBindings>>[number];

export function listBindings(client: Db, userId: string) {
  return client.exchangeBinding.findMany({
    where: { userId, status: { not: "UNBOUND" } },
    select: bindingSelect,
    orderBy: [{ exchange: "asc" }, { createdAt: "asc" }],
  });
}

export async function getBinding(client: Db, userId: string, bindingId: string) {
  const binding = await client.exchangeBinding.findFirst({ where: { id: bindingId, userId, status: { not: "UNBOUND" } }, select: bindingSelect });
  if (!binding) throw new AppError("NOT_FOUND", "No such key.");
  return binding;
}

export interface KeyView {
  id: string;
  exchange: string;
  exchangeName: string;
  label: string;
  maskedKey: string;
  live: { status: LiveFacts["status"]; explanation: string | null; checkedAt: string; fromCache: boolean } | null;
  permissions: NormalizedPermissions | null;
  permissionsKnown: boolean;
  /** Facts the exchange does not report (shown as such, not as "none"). */
  unreported: UnreportedFact[];
  ipRestricted: boolean | null;
  ipWhitelist: string[];
  createdAt: string | null;
  expiresAt: string | null;
  lastVerifiedAt: string | null;
  lastUsedAt: string | null;
  boundAt: string;
  bots: { id: string; name: string; status: string }[];
  riskFlags: RiskFlag[];
}

export function exchangeName(exchangeId: string): string {
  return supportedExchanges().find((e) => e.id === exchangeId)?.displayName ?? exchangeId;
}

export function toKeyView(binding: BindingRow, live: LiveFacts | null, now = new Date()): KeyView {
  const snapshot = binding.permissions as { normalized?: NormalizedPermissions; known?: boolean; unreported?: UnreportedFact[] } | null;
  const permissions = snapshot?.normalized ?? null;
  const revoked = live ? live.status === "revoked" : binding.status === "REVOKED";
  return {
    id: binding.id,
    exchange: binding.exchange,
    exchangeName: exchangeName(binding.exchange),
    label: binding.label,
    maskedKey: binding.apiKeyMasked,
    live: live ? { status: live.status, explanation: live.explanation, checkedAt: live.checkedAt.toISOString(), fromCache: live.fromCache } : null,
    permissions,
    permissionsKnown: snapshot?.known ?? false,
    unreported: snapshot?.unreported ?? [],
    ipRestricted: binding.ipRestricted,
    ipWhitelist: binding.ipWhitelist,
    createdAt: binding.keyCreatedAt?.toISOString() ?? null,
    expiresAt: binding.keyExpiresAt?.toISOString() ?? null,
    lastVerifiedAt: binding.lastVerifiedAt?.toISOString() ?? null,
    lastUsedAt: binding.lastUsedAt?.toISOString() ?? null,
    boundAt: binding.createdAt.toISOString(),
    bots: binding.bots,
    riskFlags: riskFlags(
      { revoked, permissions, ipRestricted: binding.ipRestricted, expiresAt: binding.keyExpiresAt, lastUsedAt: binding.lastUsedAt, boundAt: binding.createdAt },
      now,
    ),
  };
}

/** Bindings by exchange, in the order each exchange first appears (Map.groupBy needs Node 21+). */
export function groupByExchange<T extends { exchange: string }>(bindings: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const binding of bindings) {
    const group = groups.get(binding.exchange);
    if (group) group.push(binding);
    else groups.set(binding.exchange, [binding]);
  }
  return groups;
}
