import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { Db, Tx } from "@/lib/db";
import { reportedIpRestriction } from "@/lib/exchanges/reported";
import type { KeyDescription, NormalizedPermissions } from "@/lib/exchanges/types";
import type { CheckState } from "@/lib/alerts/diff-alerts";

// KeyCheck rows: the answers an exchange gave about a bound key to the schedule, to "check
// now" and at the bind, kept so that every key has a history and alerts are diffed against the
// previous answer rather than against a snapshot that any page view overwrites. (A page view's
// live check raises alerts from the same diff but keeps no row: a GET writes no history.)

export type CheckSource = "scheduled" | "manual" | "live" | "bind";

export interface KeyCheckRow {
  id: string;
  status: string;
  source: string;
  permissions: Prisma.JsonValue;
  ipRestricted: boolean | null;
  expiresAt: Date | null;
  explanation: string | null;
  checkedAt: Date;
}

/** The columns of a KeyCheck that the watch reads back. */
export const checkSelect = { id: true, status: true, source: true, permissions: true, ipRestricted: true, expiresAt: true, explanation: true, checkedAt: true } as const;

/** The KeyCheck columns of an answer (for tx.keyCheck.create). */
export function keyCheckData(bindingId: string, description: KeyDescription, source: CheckSource, checkedAt: Date, explanation: string | null) {
  const valid = description.status === "valid";
  return {
    bindingId,
    status: description.status,
    source,
    ...(valid && description.permissionsKnown ? { permissions: description.permissions as unknown as Prisma.InputJsonObject } : {}),
    ipRestricted: valid ? reportedIpRestriction(description) : null,
    expiresAt: valid ? description.expiresAt : null,
    explanation,
    checkedAt,
  };
}

export function toCheckState(row: KeyCheckRow): CheckState {
  return {
    id: row.id,
    status: row.status as CheckState["status"],
    permissions: (row.permissions as NormalizedPermissions | null) ?? null,
    ipRestricted: row.ipRestricted,
    expiresAt: row.expiresAt,
  };
}

/** The latest answer, and the latest in which the exchange described the key. */
export async function previousChecks(tx: Tx, bindingId: string): Promise<{ previous: KeyCheckRow | null; previousValid: KeyCheckRow | null }> {
  const order = [{ checkedAt: "desc" as const }, { id: "desc" as const }];
  const [previous, previousValid] = await Promise.all([
    tx.keyCheck.findFirst({ where: { bindingId }, orderBy: order, select: checkSelect }),
    tx.keyCheck.findFirst({ where: { bindingId, status: "valid" }, orderBy: order, select: checkSelect }),
  ]);
  return { previous, previousValid };
}

/** A key's history, newest first, for the user who owns it. */
export async function listKeyChecks(client: Db, userId: string, bindingIds: string[], perKey = 20): Promise<Map<string, KeyCheckRow[]>> {
  const rows = await client.keyCheck.findMany({
    where: { bindingId: { in: bindingIds }, binding: { userId } },
    orderBy: [{ checkedAt: "desc" }, { id: "desc" }],
    select: { ...checkSelect, bindingId: true },
  });
  const byKey = new Map<string, KeyCheckRow[]>(bindingIds.map((id) => [id, []]));
  for (const { bindingId, ...row } of rows) {
    const list = byKey.get(bindingId);
    if (list && list.length < perKey) list.push(row);
  }
  return byKey;
}
