import type { UnreportedFact, ValidKeyDescription } from "./types";

// What a valid key's description actually tells. An exchange that does not report a fact (the
// generic adapter: permissions and IP; Coinbase: the IP allowlist and the expiry) leaves its
// field at a placeholder, which must be stored and shown as unknown, never as "none".

export function reports(description: Pick<ValidKeyDescription, "unreported">, fact: UnreportedFact): boolean {
  return !(description.unreported ?? []).includes(fact);
}

/** The key's IP restriction as the exchange reports it; null when it does not say. */
export function reportedIpRestriction(description: Pick<ValidKeyDescription, "permissionsKnown" | "ipRestricted" | "unreported">): boolean | null {
  return description.permissionsKnown && reports(description, "ipWhitelist") ? description.ipRestricted : null;
}
