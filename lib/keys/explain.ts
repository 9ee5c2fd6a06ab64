import type { ProblemReason } from "@/lib/exchanges/types";

// Words for why an exchange did not simply say "valid". ccxt's own messages (with signed URLs
// and bodies) are read by the classifier and dropped (lib/exchanges/classify.ts): users, the
// database and the logs get these, plus the exchange's code.
const reasons: Record<ProblemReason, string> = {
  key_not_found: "the exchange says this API key does not exist (deleted, or mistyped)",
  key_expired: "the key has expired",
  bad_signature: "the secret does not match this API key",
  bad_passphrase: "the passphrase does not match this API key",
  ip_not_allowed: "the key is restricted to other IP addresses than MyITS's",
  permission_denied: "the key lacks a permission this check needs (read)",
  key_ip_or_permission: "the exchange refused the key: wrong secret, an IP whitelist without MyITS, or missing read permission (the exchange does not say which)",
  key_refused:
    "the exchange refused the key without saying why (it answers a deleted key, a wrong private key, an expired signature and an address outside the key's IP allowlist alike)",
  key_frozen: "the exchange has frozen this key",
  rate_limited: "the exchange is rate-limiting us; try again in a minute",
  exchange_unavailable: "the exchange is down or in maintenance",
  timeout: "the exchange did not answer in time",
  network: "the exchange could not be reached",
  clock_skew: "the exchange rejected our request time (clock difference)",
  malformed_response: "the exchange sent an unreadable answer",
  configuration: "this exchange is not configured correctly on our side",
  unknown: "the exchange gave an unexpected answer",
};

export function explainProblem(reason: ProblemReason, code?: string): string {
  const text = reasons[reason] ?? reasons.unknown;
  return code ? `${text} (exchange code ${code})` : text;
}
