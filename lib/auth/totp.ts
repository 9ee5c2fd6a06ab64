import "server-only";
import { generateSecret, generateURI, verify } from "otplib";

// RFC 6238 TOTP (30 s steps, 6 digits, SHA-1: what every authenticator app supports).
const PERIOD = 30;

export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(secret: string, accountEmail: string, issuer: string): string {
  return generateURI({ issuer, label: accountEmail, secret });
}

/**
 * Accepts a code from the previous, current or next step (clock drift), but never a step at or
 * before `lastStep`, so a code seen over someone's shoulder cannot be replayed.
 * Returns the accepted step, or null.
 */
export async function checkTotp(secret: string, token: string, lastStep: number | null, now = Date.now()): Promise<number | null> {
  const cleaned = token.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(cleaned)) return null;
  const result = await verify({
    secret,
    token: cleaned,
    epoch: Math.floor(now / 1000),
    epochTolerance: PERIOD,
    ...(lastStep === null ? {} : { afterTimeStep: lastStep }),
  });
  return result.valid && "timeStep" in result ? result.timeStep : null;
}
