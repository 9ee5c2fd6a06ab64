import type { NormalizedPermissions } from "@/lib/exchanges/types";

// What deserves the user's attention about a key. Pure, so the dashboard, the API and the
// unbind wizard's final review all say the same thing.

export const UNUSED_AFTER_DAYS = 30;
export const EXPIRING_WITHIN_DAYS = 14;
const DAY = 24 * 60 * 60 * 1000;

export type RiskCode = "revoked" | "withdraw_enabled" | "no_ip_whitelist" | "expired" | "expiring_soon" | "unused";

export interface RiskFlag {
  code: RiskCode;
  severity: "high" | "medium" | "low";
  message: string;
}

export interface RiskFacts {
  revoked: boolean;
  permissions: NormalizedPermissions | null;
  ipRestricted: boolean | null;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  boundAt: Date;
}

export function riskFlags(facts: RiskFacts, now = new Date()): RiskFlag[] {
  const flags: RiskFlag[] = [];
  if (facts.revoked) {
    flags.push({ code: "revoked", severity: "high", message: "The exchange no longer accepts this key. Unbind it to remove the stored secret." });
  }
  if (facts.permissions?.withdraw) {
    flags.push({ code: "withdraw_enabled", severity: "high", message: "Withdrawals are enabled: anyone holding this key could move funds out. MyITS never needs it." });
  }
  if (facts.ipRestricted === false) {
    flags.push({ code: "no_ip_whitelist", severity: "medium", message: "No IP whitelist: the key works from any address if it leaks." });
  }
  if (facts.expiresAt) {
    const left = facts.expiresAt.getTime() - now.getTime();
    if (left <= 0) flags.push({ code: "expired", severity: "high", message: "The key has expired." });
    else if (left <= EXPIRING_WITHIN_DAYS * DAY) {
      flags.push({ code: "expiring_soon", severity: "medium", message: `Expires in ${Math.ceil(left / DAY)} day(s): bots using it will stop.` });
    }
  }
  const lastActivity = facts.lastUsedAt ?? facts.boundAt;
  const idleDays = Math.floor((now.getTime() - lastActivity.getTime()) / DAY);
  if (idleDays >= UNUSED_AFTER_DAYS) {
    flags.push({ code: "unused", severity: "low", message: `Not used for ${idleDays} days: a forgotten live key is a risk. Consider unbinding it.` });
  }
  return flags;
}
