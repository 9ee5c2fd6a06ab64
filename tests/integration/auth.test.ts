import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listEvents } from "@/lib/audit/list-events";
import { authenticate } from "@/lib/auth/authenticate";
import { FAILURE_MEMORY_MS, forgetStaleClients } from "@/lib/auth/lockout";
import { assertRecentReauth, reauthenticate, REAUTH_WINDOW_MS } from "@/lib/auth/reauthenticate";
import { noRequestMeta } from "@/lib/auth/request-meta";
import { signUpSchema } from "@/lib/auth/schemas";
import { signUp } from "@/lib/auth/sign-up";
import { confirmTotpEnrolment, disableTotp, startTotpEnrolment } from "@/lib/auth/totp-enrolment";
import { createPrismaClient, type Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { useTestEnv } from "../support/app-env";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

let database: TestDatabase;
let client: Db;
const PASSWORD = "a long enough password";
let counter = 0;
const newEmail = () => `user${++counter}-${Date.now()}@it.test`;

beforeAll(async () => {
  database = await createTestDatabase();
  useTestEnv(database.url);
  client = createPrismaClient(database.url);
});

afterAll(async () => {
  await client?.$disconnect();
  await database?.drop();
});

async function newUser(email = newEmail()) {
  const user = await signUp(client, { email, password: PASSWORD }, noRequestMeta);
  return { ...user, email };
}

const signIn = (email: string, password = PASSWORD, code?: string, now?: Date, ip = "127.0.0.1") =>
  authenticate(client, { email, password, code }, { ip, userAgent: "vitest" }, now);

// The sign-in session (JWT `sid`) the tests act in.
const SID = "session-a";
const reauthNow = (userId: string, code?: string) => reauthenticate(client, userId, SID, { password: PASSWORD, code }, noRequestMeta);

const eventTypes = async (userId: string) => (await listEvents(client, userId)).events.map((e) => e.type);

describe("sign-up", () => {
  it("stores an argon2id hash, never the password, and audits the sign-up", async () => {
    const user = await newUser();
    const row = await client.user.findUniqueOrThrow({ where: { id: user.id }, omit: { passwordHash: false } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain(PASSWORD);
    expect(await eventTypes(user.id)).toEqual(["auth.signup"]);
  });

  it("refuses a second account with the same email, whatever its case", async () => {
    const email = newEmail();
    await newUser(email);
    const shouted = signUpSchema.parse({ email: `  ${email.toUpperCase()} `, password: PASSWORD });
    await expect(signUp(client, shouted, noRequestMeta)).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("omits secret columns from queries unless asked for by name", async () => {
    const user = await newUser();
    const row = await client.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).not.toHaveProperty("passwordHash");
    expect(row).not.toHaveProperty("totpSecretEnc");
  });
});

describe("sign-in and lockout", () => {
  it("accepts the right password and records the attempt", async () => {
    const user = await newUser();
    const result = await signIn(user.email);
    expect(result).toEqual({ ok: true, user: { id: user.id, email: user.email, name: null, credentialVersion: 0 } });
    expect(await eventTypes(user.id)).toEqual(["auth.login.succeeded", "auth.signup"]);
  });

  it("refuses a wrong password and an unknown email with the same answer", async () => {
    const user = await newUser();
    expect(await signIn(user.email, "wrong password!")).toEqual({ ok: false, reason: "invalid_credentials" });
    expect(await signIn(newEmail())).toEqual({ ok: false, reason: "invalid_credentials" });
    expect(await eventTypes(user.id)).toContain("auth.login.failed");
  });

  it("backs off one client after five failures: the right password waits too, 30 s, then 60 s after the next failure", async () => {
    const user = await newUser();
    const start = new Date(Date.now() + 60_000);
    const at = (ms: number) => new Date(start.getTime() + ms);
    for (let i = 0; i < 4; i++) expect(await signIn(user.email, "bad", undefined, at(i * 1000))).toEqual({ ok: false, reason: "invalid_credentials" });
    expect(await signIn(user.email, "bad", undefined, at(4000))).toEqual({ ok: false, reason: "locked_out", until: at(34_000) });
    expect(await eventTypes(user.id)).toContain("auth.lockout");

    // Attempts made while waiting are refused and do not lengthen the wait.
    expect(await signIn(user.email, PASSWORD, undefined, at(20_000))).toEqual({ ok: false, reason: "locked_out", until: at(34_000) });
    expect(await signIn(user.email, "bad", undefined, at(34_000))).toEqual({ ok: false, reason: "locked_out", until: at(94_000) });
    expect(await signIn(user.email, PASSWORD, undefined, at(93_999))).toMatchObject({ ok: false, reason: "locked_out" });
    expect(await signIn(user.email, PASSWORD, undefined, at(94_000))).toMatchObject({ ok: true });

    // A success clears the count: five free failures again.
    expect(await signIn(user.email, "bad", undefined, at(95_000))).toEqual({ ok: false, reason: "invalid_credentials" });
  });

  it("never locks the owner's device out with failures from elsewhere, and slows a new client by 30 s at most", async () => {
    const user = await newUser();
    const now = new Date(Date.now() + 90_000);
    expect(await signIn(user.email, PASSWORD, undefined, now, "192.0.2.1")).toMatchObject({ ok: true }); // the owner's device
    // An attacker spread over five addresses: 25 failures, more than the email's ceiling.
    for (let ip = 10; ip < 15; ip++) {
      for (let i = 0; i < 5; i++) await signIn(user.email, `guess ${i}`, undefined, now, `198.51.100.${ip}`);
    }
    expect(await signIn(user.email, "guess", undefined, now, "198.51.100.10")).toMatchObject({ ok: false, reason: "locked_out" });

    const later = new Date(now.getTime() + 1000);
    expect(await signIn(user.email, PASSWORD, undefined, later, "192.0.2.1")).toMatchObject({ ok: true });
    // A device that never signed in: its first try goes through; a retry waits 30 s, no longer.
    expect(await signIn(user.email, "typo", undefined, later, "203.0.113.7")).toEqual({ ok: false, reason: "invalid_credentials" });
    const retry = new Date(later.getTime() + 10_000);
    expect(await signIn(user.email, PASSWORD, undefined, retry, "203.0.113.7")).toEqual({ ok: false, reason: "locked_out", until: new Date(later.getTime() + 30_000) });
    expect(await signIn(user.email, PASSWORD, undefined, new Date(later.getTime() + 30_000), "203.0.113.7")).toMatchObject({ ok: true });
  });

  it("keeps the backoff across restarts (it lives in Postgres, not in memory)", async () => {
    const user = await newUser();
    const now = new Date(Date.now() + 120_000);
    for (let i = 0; i < 5; i++) await signIn(user.email, "bad", undefined, now);
    const restarted = createPrismaClient(database.url);
    try {
      const result = await authenticate(restarted, { email: user.email, password: PASSWORD }, { ip: "127.0.0.1", userAgent: "vitest" }, now);
      expect(result).toMatchObject({ ok: false, reason: "locked_out" });
    } finally {
      await restarted.$disconnect();
    }
  });

  it("counts parallel guesses from one client exactly (no race past the limit)", async () => {
    const user = await newUser();
    const now = new Date(Date.now() + 180_000);
    const results = await Promise.all(Array.from({ length: 8 }, () => signIn(user.email, "bad", undefined, now)));
    const counted = await client.loginAttempt.count({ where: { email: user.email, reason: "bad_password" } });
    expect(counted).toBe(5);
    expect(results.filter((r) => r.ok === false && r.reason === "invalid_credentials")).toHaveLength(4);
    expect(results.filter((r) => r.ok === false && r.reason === "locked_out")).toHaveLength(4);
  });

  it("forgets a client that stopped trying after a day, deleting its row", async () => {
    const email = newEmail();
    const then = new Date(Date.now() + 300_000);
    await signIn(email, "bad", undefined, then, "198.51.100.99");
    const key = { email_client: { email, client: "ip:198.51.100.99" } };
    expect(await client.signInBackoff.findUnique({ where: key })).toMatchObject({ failures: 1 });
    await forgetStaleClients(client, new Date(then.getTime() + FAILURE_MEMORY_MS - 1));
    expect(await client.signInBackoff.findUnique({ where: key })).not.toBeNull();
    expect(await forgetStaleClients(client, new Date(then.getTime() + FAILURE_MEMORY_MS))).toBeGreaterThanOrEqual(1);
    expect(await client.signInBackoff.findUnique({ where: key })).toBeNull();
  });

  it("does not let someone else's failed sign-ins block a live session's re-authentication", async () => {
    const user = await newUser();
    const now = new Date(Date.now() + 240_000);
    for (let ip = 20; ip < 25; ip++) {
      for (let i = 0; i < 5; i++) await signIn(user.email, `guess ${i}`, undefined, now, `198.51.100.${ip}`);
    }
    expect(await reauthenticate(client, user.id, SID, { password: PASSWORD }, noRequestMeta, now)).toMatchObject({ ok: true });

    // A session's own wrong passwords slow that session only.
    for (let i = 0; i < 4; i++) {
      expect(await reauthenticate(client, user.id, "session-x", { password: "bad" }, noRequestMeta, now)).toEqual({ ok: false, reason: "invalid_password" });
    }
    expect(await reauthenticate(client, user.id, "session-x", { password: "bad" }, noRequestMeta, now)).toMatchObject({ ok: false, reason: "locked_out" });
    expect(await reauthenticate(client, user.id, "session-x", { password: PASSWORD }, noRequestMeta, now)).toMatchObject({ ok: false, reason: "locked_out" });
    expect(await reauthenticate(client, user.id, "session-y", { password: PASSWORD }, noRequestMeta, now)).toMatchObject({ ok: true });
  });
});

describe("TOTP second factor", () => {
  async function enrolledUser() {
    const user = await newUser();
    await reauthNow(user.id);
    const { secret } = await startTotpEnrolment(client, user.id, SID);
    const { recoveryCodes } = await confirmTotpEnrolment(client, user.id, SID, await generate({ secret }), noRequestMeta);
    return { ...user, secret, recoveryCodes };
  }
  const codeAt = (secret: string, offsetSteps: number) =>
    generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });

  it("stores the pending secret encrypted and turns on only with a correct code", async () => {
    const user = await newUser();
    await reauthNow(user.id);
    const { secret, uri, qrDataUrl } = await startTotpEnrolment(client, user.id, SID);
    expect(uri).toContain(`secret=${secret}`);
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const row = await client.user.findUniqueOrThrow({ where: { id: user.id }, omit: { totpSecretEnc: false } });
    expect(row.totpSecretEnc).toMatch(/^v1\./);
    expect(row.totpSecretEnc).not.toContain(secret);

    await expect(confirmTotpEnrolment(client, user.id, SID, "000000", noRequestMeta)).rejects.toBeInstanceOf(AppError);
    expect((await signIn(user.email)).ok).toBe(true); // still off

    const { recoveryCodes } = await confirmTotpEnrolment(client, user.id, SID, await generate({ secret }), noRequestMeta);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect(await eventTypes(user.id)).toContain("auth.totp.enrolled");
  });

  it("asks for the code, accepts the next one, and never the same one twice", async () => {
    const user = await enrolledUser();
    expect(await signIn(user.email)).toEqual({ ok: false, reason: "totp_required" });
    expect(await signIn(user.email, PASSWORD, "123456")).toEqual({ ok: false, reason: "totp_invalid" });
    const next = await codeAt(user.secret, 1);
    expect((await signIn(user.email, PASSWORD, next)).ok).toBe(true);
    expect(await signIn(user.email, PASSWORD, next)).toEqual({ ok: false, reason: "totp_invalid" });
  });

  it("accepts each recovery code once", async () => {
    const user = await enrolledUser();
    const code = user.recoveryCodes[3]!;
    expect((await signIn(user.email, PASSWORD, code.toUpperCase())).ok).toBe(true);
    expect(await signIn(user.email, PASSWORD, code)).toEqual({ ok: false, reason: "totp_invalid" });
    expect(await eventTypes(user.id)).toContain("auth.recovery_code.used");
  });

  it("needs a recent re-authentication of the same session to turn off", async () => {
    const user = await enrolledUser();
    await client.reauthGrant.deleteMany({ where: { userId: user.id } });
    await expect(disableTotp(client, user.id, SID, noRequestMeta)).rejects.toMatchObject({ code: "REAUTH_REQUIRED" });
    expect(await reauthNow(user.id)).toEqual({ ok: false, reason: "totp_required" });
    const result = await reauthNow(user.id, await codeAt(user.secret, 1));
    expect(result.ok).toBe(true);
    await expect(disableTotp(client, user.id, "session-b", noRequestMeta)).rejects.toMatchObject({ code: "REAUTH_REQUIRED" });
    await disableTotp(client, user.id, SID, noRequestMeta);
    expect((await signIn(user.email)).ok).toBe(true);
    expect(await client.recoveryCode.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe("re-authentication window", () => {
  it("is open for five minutes after the password is given again, and closed otherwise", async () => {
    const user = await newUser();
    await expect(assertRecentReauth(client, user.id, SID)).rejects.toMatchObject({ code: "REAUTH_REQUIRED" });
    expect(await reauthenticate(client, user.id, SID, { password: "wrong password" }, noRequestMeta)).toEqual({ ok: false, reason: "invalid_password" });
    await expect(assertRecentReauth(client, user.id, SID)).rejects.toMatchObject({ code: "REAUTH_REQUIRED" });

    const now = new Date();
    expect(await reauthenticate(client, user.id, SID, { password: PASSWORD }, noRequestMeta, now)).toMatchObject({ ok: true });
    await expect(assertRecentReauth(client, user.id, SID, new Date(now.getTime() + REAUTH_WINDOW_MS - 1000))).resolves.toBeUndefined();
    await expect(assertRecentReauth(client, user.id, SID, new Date(now.getTime() + REAUTH_WINDOW_MS + 1000))).rejects.toMatchObject({ code: "REAUTH_REQUIRED" });
    expect(await eventTypes(user.id)).toEqual(expect.arrayContaining(["auth.reauth.failed", "auth.reauth.succeeded"]));
  });
});

describe("audit log", () => {
  it("lists only the user's own events, whatever cursor is given", async () => {
    const alice = await newUser();
    const bob = await newUser();
    await signIn(alice.email);
    await signIn(bob.email, "wrong password");
    const aliceEvents = (await listEvents(client, alice.id)).events;
    expect(aliceEvents.every((e) => e.userId === alice.id)).toBe(true);
    const bobLatest = (await listEvents(client, bob.id)).events[0]!;
    const viaCursor = await listEvents(client, alice.id, { before: { at: new Date(bobLatest.createdAt.getTime() + 1), id: bobLatest.id + 1n } });
    expect(viaCursor.events.map((e) => e.userId)).not.toContain(bob.id);
    expect(viaCursor.events.length).toBeGreaterThan(0);
  });

  it("cannot be rewritten or erased", async () => {
    const user = await newUser();
    await expect(client.auditEvent.updateMany({ where: { userId: user.id }, data: { type: "forged" } })).rejects.toThrow(/append-only/);
    await expect(client.auditEvent.deleteMany({ where: { userId: user.id } })).rejects.toThrow(/append-only/);
    expect(await eventTypes(user.id)).toEqual(["auth.signup"]);
  });
});
