import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { reauthenticate } from "@/lib/auth/reauthenticate";
import { noRequestMeta } from "@/lib/auth/request-meta";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { performUnbindAction, type ActionOptions } from "@/lib/unbind/perform-action";
import { unbindActionSchema } from "@/lib/unbind/schemas";
import { checklistIds } from "@/lib/unbind/security-checklist";

// Drives unbind sessions the way the routes do: every action through the zod schema and
// performUnbindAction, users with real password hashes so re-authentication is the real one.

export const PASSWORD = "correct horse battery staple";

/** The sign-in session (JWT `sid`) the tests act in, unless a test names another. */
export const TEST_AUTH_SESSION = "test-auth-session";

export async function createUserWithPassword(client: Db): Promise<string> {
  const user = await client.user.create({
    data: { email: `unbind-${randomBytes(6).toString("hex")}@it.test`, passwordHash: await hashPassword(PASSWORD) },
    select: { id: true },
  });
  return user.id;
}

export async function reauth(client: Db, userId: string, authSessionId = TEST_AUTH_SESSION): Promise<void> {
  const result = await reauthenticate(client, userId, authSessionId, { password: PASSWORD }, noRequestMeta);
  expect(result.ok).toBe(true);
}

export function actor(client: Db, options: Omit<ActionOptions, "authSessionId"> & { authSessionId?: string }) {
  const withSession = { authSessionId: TEST_AUTH_SESSION, ...options };
  return (userId: string, sessionId: string, action: Record<string, unknown>) =>
    performUnbindAction(client, userId, sessionId, unbindActionSchema.parse(action), withSession);
}

/** Expects an AppError with this code (and gate, for GATE_NOT_MET). */
export async function expectRefused(promise: Promise<unknown>, code: AppError["code"], gate?: string): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.code).toBe(code);
  if (gate) expect(appError.details?.gate).toBe(gate);
  return appError;
}

/** Satisfies every precaution by the quickest recorded route and walks to the confirm step. */
export async function walkToConfirm(client: Db, act: ReturnType<typeof actor>, userId: string, sessionId: string, exchangeName: string) {
  await act(userId, sessionId, { type: "decline_backup", reason: "test" });
  await act(userId, sessionId, { type: "goto", to: "impact" });
  await act(userId, sessionId, { type: "acknowledge_impact", botIds: [] });
  await act(userId, sessionId, { type: "goto", to: "security" });
  await act(userId, sessionId, { type: "acknowledge_security", items: checklistIds(exchangeName) });
  await reauth(client, userId);
  await act(userId, sessionId, { type: "goto", to: "notify" });
  await act(userId, sessionId, { type: "no_notification_needed" });
  for (const to of ["login", "open-api-management", "find-key-list", "locate-key", "delete", "verify", "confirm"]) {
    await act(userId, sessionId, { type: "goto", to });
  }
}
