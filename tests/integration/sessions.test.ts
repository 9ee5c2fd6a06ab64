import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listEvents } from "@/lib/audit/list-events";
import { authenticate } from "@/lib/auth/authenticate";
import { changePassword } from "@/lib/auth/change-password";
import { assertRecentReauth, reauthenticate } from "@/lib/auth/reauthenticate";
import { noRequestMeta } from "@/lib/auth/request-meta";
import { changePasswordSchema } from "@/lib/auth/schemas";
import { loadSessionUser, type SessionClaims } from "@/lib/auth/session-user";
import { signOutEverywhere } from "@/lib/auth/sign-out-everywhere";
import { signUp } from "@/lib/auth/sign-up";
import { confirmTotpEnrolment, disableTotp, startTotpEnrolment } from "@/lib/auth/totp-enrolment";
import { createPrismaClient, type Db } from "@/lib/db";
import { useTestEnv } from "../support/app-env";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

// Sessions as every request sees them (loadSessionUser: what current-user.ts does with the
// token Auth.js decoded): the claims a real sign-in puts in the JWT, checked against Postgres.

let database: TestDatabase;
let client: Db;
const PASSWORD = "a long enough password";
let counter = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  useTestEnv(database.url);
  client = createPrismaClient(database.url);
});

afterAll(async () => {
  await client?.$disconnect();
  await database?.drop();
});

async function newUser() {
  const email = `sessions${++counter}@it.test`;
  const user = await signUp(client, { email, password: PASSWORD }, noRequestMeta);
  return { ...user, email };
}

/** Signs in as a browser would and returns the claims its JWT carries (auth.config.ts). */
async function signInAs(email: string, sessionId: string, password = PASSWORD, code?: string): Promise<SessionClaims> {
  const result = await authenticate(client, { email, password, code }, { ip: "127.0.0.1", userAgent: null });
  if (!result.ok) throw new Error(`sign-in refused: ${result.reason}`);
  return { userId: result.user.id, sessionId, credentialVersion: result.user.credentialVersion };
}

const signedIn = async (claims: SessionClaims) => (await loadSessionUser(client, claims)) !== null;
const reauthIn = (userId: string, sessionId: string, code?: string) =>
  reauthenticate(client, userId, sessionId, { password: PASSWORD, code }, noRequestMeta);
const eventTypes = async (userId: string) => (await listEvents(client, userId)).events.map((e) => e.type);

describe("credential version", () => {
  it("makes a token of a stale version no session, while a fresh sign-in works", async () => {
    const user = await newUser();
    const a = await signInAs(user.email, "a");
    expect(await loadSessionUser(client, a)).toMatchObject({ id: user.id, sessionId: "a" });
    await client.user.update({ where: { id: user.id }, data: { credentialVersion: { increment: 1 } } });
    expect(await signedIn(a)).toBe(false);
    expect(await signedIn({ ...a, credentialVersion: undefined })).toBe(false);
    const b = await signInAs(user.email, "b");
    expect(b.credentialVersion).toBe(1);
    expect(await signedIn(b)).toBe(true);
  });
});

describe("sign out everywhere", () => {
  it("ends every other session on its next request, keeps the one that asked, and is audited", async () => {
    const user = await newUser();
    const a = await signInAs(user.email, "a");
    const b = await signInAs(user.email, "b");
    expect(await reauthIn(user.id, "b")).toMatchObject({ ok: true });

    await signOutEverywhere(client, user.id, "a", noRequestMeta);
    expect(await signedIn(a)).toBe(true);
    expect(await signedIn(b)).toBe(false);
    expect(await client.reauthGrant.count({ where: { userId: user.id, sessionId: "b" } })).toBe(0);
    expect(await eventTypes(user.id)).toContain("auth.sessions.ended");

    // B signs in again; when B signs out everywhere, A is the one that ends.
    const b2 = await signInAs(user.email, "b2");
    expect(await signedIn(b2)).toBe(true);
    await signOutEverywhere(client, user.id, "b2", noRequestMeta);
    expect(await signedIn(b2)).toBe(true);
    expect(await signedIn(a)).toBe(false);
  });
});

describe("password change", () => {
  it("asks for the current password, ends every other session, and only the new password signs in", async () => {
    const user = await newUser();
    const a = await signInAs(user.email, "a");
    const b = await signInAs(user.email, "b");
    const input = changePasswordSchema.parse({ currentPassword: "not it", newPassword: "a brand new long password", confirm: "a brand new long password" });

    await expect(changePassword(client, user.id, "a", input, noRequestMeta)).rejects.toMatchObject({ code: "BAD_REQUEST", details: { field: "currentPassword" } });
    expect(await signedIn(b)).toBe(true);

    await changePassword(client, user.id, "a", { ...input, currentPassword: PASSWORD }, noRequestMeta);
    expect(await signedIn(a)).toBe(true);
    expect(await signedIn(b)).toBe(false);
    await expect(signInAs(user.email, "c")).rejects.toThrow(/invalid_credentials/);
    expect(await signedIn(await signInAs(user.email, "c", "a brand new long password"))).toBe(true);
    expect(await eventTypes(user.id)).toContain("auth.password.changed");
  });

  it("validates the new password with the sign-up rules, and the repeat", () => {
    const refused = (input: Record<string, string>) => changePasswordSchema.safeParse({ currentPassword: PASSWORD, ...input }).error?.issues.map((i) => [i.path.join("."), i.message]);
    expect(refused({ newPassword: "short", confirm: "short" })).toEqual([["newPassword", "Use at least 12 characters."]]);
    expect(refused({ newPassword: "a brand new long password", confirm: "a brand new long passwore" })).toEqual([["confirm", "The two passwords differ."]]);
    expect(refused({ newPassword: PASSWORD, confirm: PASSWORD })).toEqual([["newPassword", "Choose a password different from the current one."]]);
  });
});

describe("two-factor authentication", () => {
  it("needs a fresh re-auth of the same session to enrol, and turning it on or off ends every other session", async () => {
    const user = await newUser();
    const a = await signInAs(user.email, "a");
    const b = await signInAs(user.email, "b");

    await expect(startTotpEnrolment(client, user.id, "a")).rejects.toMatchObject({ code: "REAUTH_REQUIRED" });
    expect(await reauthIn(user.id, "b")).toMatchObject({ ok: true });
    await expect(startTotpEnrolment(client, user.id, "a")).rejects.toMatchObject({ code: "REAUTH_REQUIRED" });
    expect(await reauthIn(user.id, "a")).toMatchObject({ ok: true });
    const { secret } = await startTotpEnrolment(client, user.id, "a");
    await confirmTotpEnrolment(client, user.id, "a", await generate({ secret }), noRequestMeta);
    expect(await signedIn(a)).toBe(true);
    expect(await signedIn(b)).toBe(false);

    const codeAt = (steps: number) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });
    const c = await signInAs(user.email, "c", PASSWORD, await codeAt(1));
    expect(await signedIn(c)).toBe(true);
    await disableTotp(client, user.id, "a", noRequestMeta);
    expect(await signedIn(a)).toBe(true);
    expect(await signedIn(c)).toBe(false);
  });
});

describe("re-authentication window", () => {
  it("belongs to the session that re-authenticated: a re-auth in browser A does not satisfy browser B", async () => {
    const user = await newUser();
    const a = await signInAs(user.email, "a");
    const b = await signInAs(user.email, "b");
    expect(await reauthIn(user.id, "a")).toMatchObject({ ok: true });

    await expect(assertRecentReauth(client, user.id, "a")).resolves.toBeUndefined();
    await expect(assertRecentReauth(client, user.id, "b")).rejects.toMatchObject({ code: "REAUTH_REQUIRED" });
    expect((await loadSessionUser(client, a))?.reauthenticatedAt).toBeInstanceOf(Date);
    expect((await loadSessionUser(client, b))?.reauthenticatedAt).toBeNull();
  });
});
