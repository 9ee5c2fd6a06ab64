import type { NormalizedPermissions } from "@/lib/exchanges/types";

// A key's history in words: what changed from one answer of the exchange to the next. Pure; the
// review page shows it as a timeline, and the latest change feeds the risk ranking.

export interface TimelineCheck {
  id: string;
  status: string;
  source: string;
  permissions: NormalizedPermissions | null;
  ipRestricted: boolean | null;
  expiresAt: Date | null;
  explanation: string | null;
  checkedAt: Date;
}

export interface TimelineEntry {
  id: string;
  at: Date;
  source: string;
  status: string;
  summary: string;
  /** What changed since the previous answer; empty when nothing did (or for the first one). */
  changes: string[];
}

const permissionNames: Record<keyof Omit<NormalizedPermissions, "other">, string> = {
  read: "read",
  spotTrade: "spot trading",
  marginTrade: "margin trading",
  futuresTrade: "futures trading",
  withdraw: "withdrawal",
  transfer: "transfer",
};

export function changesBetween(before: TimelineCheck, after: TimelineCheck): string[] {
  const changes: string[] = [];
  if (before.status !== after.status) changes.push(after.status === "revoked" ? "revoked on the exchange" : `now ${after.status} (was ${before.status})`);
  if (before.permissions && after.permissions) {
    for (const [key, name] of Object.entries(permissionNames) as [keyof typeof permissionNames, string][]) {
      if (!before.permissions[key] && after.permissions[key]) changes.push(`${name} permission gained`);
      if (before.permissions[key] && !after.permissions[key]) changes.push(`${name} permission removed`);
    }
  }
  if (before.ipRestricted === true && after.ipRestricted === false) changes.push("IP restriction removed");
  if (before.ipRestricted === false && after.ipRestricted === true) changes.push("IP restriction added");
  if (before.status === "valid" && after.status === "valid" && (before.expiresAt?.getTime() ?? null) !== (after.expiresAt?.getTime() ?? null)) {
    changes.push(after.expiresAt ? `expiry set to ${after.expiresAt.toISOString().slice(0, 10)}` : "expiry removed");
  }
  return changes;
}

function summary(check: TimelineCheck): string {
  if (check.status !== "valid") return check.explanation ?? check.status;
  if (!check.permissions) return "valid (permissions not disclosed)";
  const granted = (Object.entries(permissionNames) as [keyof typeof permissionNames, string][]).filter(([key]) => check.permissions![key]).map(([, name]) => name);
  const ip = check.ipRestricted === true ? "IP-restricted" : check.ipRestricted === false ? "no IP whitelist" : "IP restriction unknown";
  return `valid: ${granted.join(", ") || "no permissions"}; ${ip}`;
}

/** Newest first, as given. Changes compare each answer with the older valid one before it, so an outage in between hides nothing. */
export function buildTimeline(newestFirst: readonly TimelineCheck[]): TimelineEntry[] {
  return newestFirst.map((check, index) => {
    const older = newestFirst.slice(index + 1);
    const before = check.status === "valid" ? older.find((c) => c.status === "valid") ?? older[0] : older[0];
    return { id: check.id, at: check.checkedAt, source: check.source, status: check.status, summary: summary(check), changes: before ? changesBetween(before, check) : [] };
  });
}

/** The newest entry that changed something, for the ranking's "last change" reason. */
export function lastChange(timeline: readonly TimelineEntry[]): { at: Date; what: string } | null {
  const entry = timeline.find((e) => e.changes.length > 0);
  return entry ? { at: entry.at, what: entry.changes.join(", ") } : null;
}
