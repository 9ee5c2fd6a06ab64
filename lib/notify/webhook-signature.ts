import { createHmac, timingSafeEqual } from "node:crypto";

// The signature every webhook carries, in the usual timestamped scheme:
//   MyITS-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">
// The timestamp is signed with the body, so a captured request cannot be replayed later than
// the receiver's tolerance. Pure, so receivers (and tests) can verify with the same code.

export const SIGNATURE_HEADER = "MyITS-Signature";
export const EVENT_ID_HEADER = "MyITS-Event-Id";
export const EVENT_TYPE_HEADER = "MyITS-Event-Type";
export const DEFAULT_TOLERANCE_SEC = 300;

function hmac(secret: string, timestampSec: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestampSec}.${body}`).digest("hex");
}

export function signWebhook(secret: string, body: string, timestampSec: number): string {
  return `t=${timestampSec},v1=${hmac(secret, timestampSec, body)}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: "malformed" | "stale" | "future" | "mismatch" };

export function verifyWebhookSignature(
  header: string | null | undefined,
  body: string,
  secret: string,
  options: { toleranceSec?: number; nowSec?: number } = {},
): SignatureCheck {
  if (!header) return { ok: false, reason: "malformed" };
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const [name, value] = part.trim().split("=", 2);
    if (name === "t" && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (name === "v1" && value && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === null || signatures.length === 0) return { ok: false, reason: "malformed" };
  const tolerance = options.toleranceSec ?? DEFAULT_TOLERANCE_SEC;
  const now = options.nowSec ?? Math.floor(Date.now() / 1000);
  if (timestamp < now - tolerance) return { ok: false, reason: "stale" };
  if (timestamp > now + tolerance) return { ok: false, reason: "future" };
  const expected = Buffer.from(hmac(secret, timestamp, body), "hex");
  // Several v1 values let a sender sign with an old and a new secret while rotating.
  const match = signatures.some((signature) => timingSafeEqual(Buffer.from(signature, "hex"), expected));
  return match ? { ok: true } : { ok: false, reason: "mismatch" };
}
