import type { NormalizedPermissions } from "@/lib/exchanges/types";
import { alertWording, type AlertKind } from "./alert-kinds";

// Which alerts a new check of a key raises, from the previous answer and the new one. Pure.
//
// "One alert per change, never one per check": every candidate carries `change`, the identity
// of the change it reports, and the alert's unique key is binding + kind + change. A change of
// state (a permission gained, the IP restriction lost, revoked) is named after the answer it
// changed from, so two checks that see the same change (a scheduled one and "check now" at
// once) name it alike, and the next check, whose previous answer already shows the new state,
// sees no change at all. A condition that holds for a while (expiring, unused, too old) is
// named after the fact it follows from (the expiry date, the last use, the creation date): it
// is raised once, and again only when that fact moves (a new idle stretch, a renewed key).

export const EXPIRY_ALERT_DAYS = 14;
export const UNUSED_ALERT_DAYS = [30, 90] as const;
const DAY = 24 * 60 * 60 * 1000;

/** What one answer said, as far as alerts care. */
export interface CheckState {
  /** Names the answer: a KeyCheck id, or "bind" for the snapshot taken when the key was bound. */
  id: string;
  status: "valid" | "revoked" | "ambiguous" | "unreachable";
  permissions: NormalizedPermissions | null;
  ipRestricted: boolean | null;
  expiresAt: Date | null;
}

export interface KeyContext {
  label: string;
  exchangeName: string;
  boundAt: Date;
  lastUsedAt: Date | null;
  keyCreatedAt: Date | null;
  /** The user is unbinding the key in MyITS's wizard: its disappearance is expected. */
  unbindInProgress: boolean;
  rotationDays: number;
}

export interface AlertCandidate {
  kind: AlertKind;
  change: string;
  title: string;
  message: string;
  advice: string;
}

const candidate = (kind: AlertKind, change: string, message: string): AlertCandidate => ({ kind, change, message, ...alertWording[kind] });

/**
 * `previousValid`: the last answer in which the exchange described the key (for permission and
 * IP changes: an unreachable answer in between hides nothing). `previous`: the last answer of
 * any kind (for revocation).
 */
export function diffAlerts(previous: CheckState | null, previousValid: CheckState | null, current: CheckState, key: KeyContext, now = new Date()): AlertCandidate[] {
  const found: AlertCandidate[] = [];
  const name = `“${key.label}” (${key.exchangeName})`;
  if (current.status === "revoked") {
    if (previous?.status !== "revoked" && !key.unbindInProgress) {
      found.push(candidate("revoked_outside", "revoked", `${key.exchangeName} no longer accepts ${name}, and it was not unbound through MyITS.`));
    }
    return found;
  }
  if (current.status !== "valid") return found;

  const before = previousValid?.status === "valid" ? previousValid : null;
  if (before && current.permissions && before.permissions) {
    if (current.permissions.withdraw && !before.permissions.withdraw) {
      found.push(candidate("withdraw_gained", `after:${before.id}`, `${name} can now withdraw funds; it could not at the previous check.`));
    }
    if (current.permissions.transfer && !before.permissions.transfer) {
      found.push(candidate("transfer_gained", `after:${before.id}`, `${name} can now transfer funds between accounts; it could not at the previous check.`));
    }
  }
  if (before && before.ipRestricted === true && current.ipRestricted === false) {
    found.push(candidate("ip_restriction_lost", `after:${before.id}`, `${name} is no longer restricted to a list of IP addresses.`));
  }

  if (current.expiresAt) {
    const left = current.expiresAt.getTime() - now.getTime();
    if (left <= EXPIRY_ALERT_DAYS * DAY) {
      const days = Math.max(0, Math.ceil(left / DAY));
      found.push(candidate("expiring_soon", current.expiresAt.toISOString(), left <= 0 ? `${name} has expired.` : `${name} expires in ${days} day(s), on ${current.expiresAt.toISOString().slice(0, 10)}.`));
    }
  }

  const lastActivity = key.lastUsedAt ?? key.boundAt;
  const idleDays = Math.floor((now.getTime() - lastActivity.getTime()) / DAY);
  for (const days of UNUSED_ALERT_DAYS) {
    if (idleDays >= days) {
      const kind: AlertKind = days === 30 ? "unused_30" : "unused_90";
      found.push(candidate(kind, `since:${lastActivity.toISOString()}`, `No bot has used ${name} for ${idleDays} days.`));
    }
  }

  const createdAt = key.keyCreatedAt ?? key.boundAt;
  const ageDays = Math.floor((now.getTime() - createdAt.getTime()) / DAY);
  if (ageDays >= key.rotationDays) {
    found.push(candidate("rotation_due", `created:${createdAt.toISOString()}`, `${name} is ${ageDays} days old; keys are best replaced every ${key.rotationDays} days.`));
  }
  return found;
}
