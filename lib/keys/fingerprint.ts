import { createHash } from "node:crypto";

// Finds a key bound twice without keeping it in the clear. API keys are long random strings,
// so an unkeyed SHA-256 reveals nothing, and unlike a keyed hash it survives key rotation.
export function keyFingerprint(exchange: string, apiKey: string): string {
  return createHash("sha256").update(`${exchange}\n${apiKey}`).digest("hex");
}
