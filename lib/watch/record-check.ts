import "server-only";
import { diffAlerts, type CheckState } from "@/lib/alerts/diff-alerts";
import { raiseAlertIn } from "@/lib/alerts/raise-alert";
import type { Prisma } from "@/generated/prisma/client";
import type { Tx } from "@/lib/db";
import { env } from "@/lib/env";
import type { KeyDescription, NormalizedPermissions } from "@/lib/exchanges/types";
import { checkSelect, keyCheckData, previousChecks, toCheckState, type CheckSource } from "./key-checks";

// One answer of the exchange, kept: the KeyCheck row (for the schedule, "check now" and the
// bind; a page view's answer only raises alerts), and the alerts its difference from the
// previous answer raises, in the caller's transaction (lib/keys/live-facts.ts), so a check is
// recorded together with its alerts or not at all. The first check of a key bound before
// KeyCheck existed is compared with the binding's stored snapshot as it was before the check.

/** The binding as it was before this check (the snapshot the check is about to overwrite). */
export interface BindingBeforeCheck {
  id: string;
  userId: string;
  exchange: string;
  label: string;
  status: "ACTIVE" | "REVOKED" | "UNBOUND";
  permissions: Prisma.JsonValue;
  ipRestricted: boolean | null;
  keyExpiresAt: Date | null;
  keyCreatedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

export const bindingBeforeCheckSelect = {
  id: true,
  userId: true,
  exchange: true,
  label: true,
  status: true,
  permissions: true,
  ipRestricted: true,
  keyExpiresAt: true,
  keyCreatedAt: true,
  lastUsedAt: true,
  createdAt: true,
} as const;

function snapshotState(binding: BindingBeforeCheck): CheckState {
  const snapshot = binding.permissions as { normalized?: NormalizedPermissions; known?: boolean } | null;
  return {
    id: "snapshot",
    status: binding.status === "REVOKED" ? "revoked" : "valid",
    permissions: snapshot?.known ? (snapshot.normalized ?? null) : null,
    ipRestricted: binding.ipRestricted,
    expiresAt: binding.keyExpiresAt,
  };
}

export interface RecordedCheck {
  /** Null for a page view's answer (not kept). */
  checkId: string | null;
  /** Alerts this check raised (new ones only). */
  alertIds: string[];
}

/** `binding.exchangeName`: the exchange's display name, looked up before the transaction (the registry may load ccxt's list). */
export async function recordKeyCheck(tx: Tx, binding: BindingBeforeCheck & { exchangeName: string }, description: KeyDescription, source: CheckSource, explanation: string | null, now: Date): Promise<RecordedCheck> {
  const { previous, previousValid } = await previousChecks(tx, binding.id);
  const baseline = previous ? null : snapshotState(binding);
  const data = keyCheckData(binding.id, description, source, now, explanation);
  // A page view's answer raises alerts but is not kept: a GET writes no history row, and the
  // next kept check, compared with the same previous answer, names the same change alike.
  const check = source === "live"
    ? { id: null, ...data, permissions: (data.permissions ?? null) as Prisma.JsonValue }
    : await tx.keyCheck.create({ data, select: checkSelect });
  const unbindInProgress = description.status === "revoked" ? (await tx.unbindSession.count({ where: { bindingId: binding.id, status: "ACTIVE" } })) > 0 : false;
  const candidates = diffAlerts(
    previous ? toCheckState(previous) : baseline,
    previousValid ? toCheckState(previousValid) : baseline,
    toCheckState({ ...check, id: check.id ?? "live" }),
    {
      label: binding.label,
      exchangeName: binding.exchangeName,
      boundAt: binding.createdAt,
      lastUsedAt: binding.lastUsedAt,
      keyCreatedAt: description.status === "valid" ? (description.createdAt ?? binding.keyCreatedAt) : binding.keyCreatedAt,
      unbindInProgress,
      rotationDays: env().KEY_ROTATION_DAYS,
    },
    now,
  );
  const alertIds: string[] = [];
  for (const candidate of candidates) {
    const raised = await raiseAlertIn(tx, {
      userId: binding.userId,
      bindingId: binding.id,
      kind: candidate.kind,
      change: candidate.change,
      title: candidate.title,
      message: candidate.message,
      advice: candidate.advice,
      data: check.id ? { checkId: check.id } : { seenBy: "live check" },
    });
    if (raised.created) alertIds.push(raised.id);
  }
  return { checkId: check.id, alertIds };
}
