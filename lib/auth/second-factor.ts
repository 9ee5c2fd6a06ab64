import "server-only";
import { openSecret } from "@/lib/crypto/secrets";
import type { Db, Tx } from "@/lib/db";
import { consumeRecoveryCode, looksLikeRecoveryCode } from "./recovery-codes";
import { checkTotp } from "./totp";

export const TOTP_SECRET_CONTEXT = "User.totpSecret";

export type SecondFactorResult = "totp" | "recovery_code" | "invalid";

/**
 * Checks an authenticator code (never the same step twice) or a one-time recovery code. Each
 * write is one conditional statement, so no transaction is needed (nor wanted: a recovery code
 * is an argon2 verification).
 */
export async function verifySecondFactor(
  client: Db | Tx,
  user: { id: string; totpSecretEnc: string | null; totpLastStep: number | null },
  code: string,
  now: Date,
): Promise<SecondFactorResult> {
  if (!user.totpSecretEnc) return "invalid";
  if (looksLikeRecoveryCode(code)) {
    return (await consumeRecoveryCode(client, user.id, code, now)) ? "recovery_code" : "invalid";
  }
  const secret = openSecret(user.totpSecretEnc, TOTP_SECRET_CONTEXT);
  const step = await checkTotp(secret, code, user.totpLastStep, now.getTime());
  if (step === null) return "invalid";
  // Only move forward: a concurrent request that accepted a later step must not be undone.
  const { count } = await client.user.updateMany({
    where: { id: user.id, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
    data: { totpLastStep: step },
  });
  return count === 1 ? "totp" : "invalid";
}
