import type { NormalizedPermissions } from "@/lib/exchanges/types";

// How risky each bound key is, as one score with its reasons, and whether the review says to
// remove it. Pure, so the review page (/review) and the unbind wizard's final review rank the
// same keys the same way. The points are a judgement, written down so it can be argued with:
// what a leaked key could do (withdraw, transfer, from anywhere) weighs most; a key nobody uses
// is a risk with no benefit, so it is the one to remove.

export const DEFAULT_ROTATION_DAYS = 90;
export const REMOVE_AT_SCORE = 80;
const DAY = 24 * 60 * 60 * 1000;

export interface RankFacts {
  label: string;
  revoked: boolean;
  permissions: NormalizedPermissions | null;
  permissionsKnown: boolean;
  ipRestricted: boolean | null;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  boundAt: Date;
  keyCreatedAt: Date | null;
  /** The latest change a check saw in the key's permissions or IP restriction, if any. */
  lastChange: { at: Date; what: string } | null;
}

export type RiskReasonCode = "revoked" | "permissions" | "ip_exposure" | "age" | "unused" | "expiry" | "last_change";

export interface RiskReason {
  code: RiskReasonCode;
  points: number;
  message: string;
}

export interface RiskAssessment {
  score: number;
  reasons: RiskReason[];
  /** The review says: unbind this key. */
  remove: boolean;
}

export interface RankOptions {
  now?: Date;
  rotationDays?: number;
}

const days = (ms: number) => Math.floor(ms / DAY);

export function assessRisk(facts: RankFacts, options: RankOptions = {}): RiskAssessment {
  const now = options.now ?? new Date();
  const rotationDays = options.rotationDays ?? DEFAULT_ROTATION_DAYS;
  const reasons: RiskReason[] = [];
  const add = (code: RiskReasonCode, points: number, message: string) => reasons.push({ code, points, message });
  let remove = false;

  if (facts.revoked) {
    add("revoked", 100, "The exchange no longer accepts this key: unbind it so MyITS destroys the stored secret.");
    remove = true;
  }
  const p = facts.permissions;
  if (p?.withdraw) add("permissions", 40, "Can withdraw funds: MyITS never needs it.");
  if (p?.transfer) add("permissions", 25, "Can transfer funds between accounts: MyITS never needs it.");
  if (p && (p.futuresTrade || p.marginTrade)) add("permissions", 5, "Can trade margin or futures: a leak costs more than spot alone.");
  if (!facts.permissionsKnown && !facts.revoked) add("permissions", 10, "The exchange does not tell this key's permissions: check them on the exchange.");

  if (facts.ipRestricted === false) add("ip_exposure", 25, "No IP whitelist: the key works from any address if it leaks.");
  else if (facts.ipRestricted === null && !facts.revoked) add("ip_exposure", 5, "Whether the key is IP-restricted is not known.");

  const createdAt = facts.keyCreatedAt ?? facts.boundAt;
  const age = days(now.getTime() - createdAt.getTime());
  if (age >= 2 * rotationDays) add("age", 15, `${age} days old: well past the ${rotationDays}-day rotation age.`);
  else if (age >= rotationDays) add("age", 10, `${age} days old: due for rotation (every ${rotationDays} days).`);

  const idle = days(now.getTime() - (facts.lastUsedAt ?? facts.boundAt).getTime());
  if (idle >= 90) add("unused", 30, `Not used by any bot for ${idle} days.`);
  else if (idle >= 30) add("unused", 15, `Not used by any bot for ${idle} days.`);
  if (idle >= 30) remove = true;

  if (facts.expiresAt) {
    const left = facts.expiresAt.getTime() - now.getTime();
    if (left <= 0) {
      add("expiry", 30, "Expired.");
      remove = true;
    } else if (left <= 14 * DAY) add("expiry", 15, `Expires in ${Math.ceil(left / DAY)} day(s).`);
  }

  if (facts.lastChange && now.getTime() - facts.lastChange.at.getTime() <= 30 * DAY) {
    add("last_change", 10, `Changed on the exchange on ${facts.lastChange.at.toISOString().slice(0, 10)}: ${facts.lastChange.what}.`);
  }

  const score = reasons.reduce((sum, reason) => sum + reason.points, 0);
  reasons.sort((a, b) => b.points - a.points);
  return { score, reasons, remove: remove || score >= REMOVE_AT_SCORE };
}

export interface Ranked<T> extends RiskAssessment {
  item: T;
}

/** Riskiest first; equal scores by label, so the order is stable. */
export function rankKeys<T>(items: readonly T[], factsOf: (item: T) => RankFacts, options: RankOptions = {}): Ranked<T>[] {
  const assessed = items.map((item) => {
    const facts = factsOf(item);
    return { label: facts.label, ranked: { item, ...assessRisk(facts, options) } };
  });
  return assessed.sort((a, b) => b.ranked.score - a.ranked.score || a.label.localeCompare(b.label)).map((entry) => entry.ranked);
}

/** The fields of a key as the dashboard shows it (lib/keys/list-keys.ts KeyView) that the ranking reads. */
export interface RankableKeyView {
  label: string;
  riskFlags: readonly { code: string }[];
  permissions: NormalizedPermissions | null;
  permissionsKnown: boolean;
  ipRestricted: boolean | null;
  createdAt: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  boundAt: string;
}

const dateOrNull = (value: string | null) => (value ? new Date(value) : null);

export function rankFactsOfView(view: RankableKeyView, lastChange: RankFacts["lastChange"] = null): RankFacts {
  return {
    label: view.label,
    revoked: view.riskFlags.some((flag) => flag.code === "revoked"),
    permissions: view.permissions,
    permissionsKnown: view.permissionsKnown,
    ipRestricted: view.ipRestricted,
    expiresAt: dateOrNull(view.expiresAt),
    lastUsedAt: dateOrNull(view.lastUsedAt),
    boundAt: new Date(view.boundAt),
    keyCreatedAt: dateOrNull(view.createdAt),
    lastChange,
  };
}
