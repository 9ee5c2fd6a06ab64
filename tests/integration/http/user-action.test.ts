// The server actions' wrapper (lib/http/action.ts) through the app's real actions, inside a
// request scope signed in through Auth.js: the session is checked, the form is validated, and
// refusals come back as form state, never as a thrown error.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noRequestMeta } from "@/lib/auth/request-meta";
import { signUp } from "@/lib/auth/sign-up";
import { createPrismaClient, type Db } from "@/lib/db";
import { useTestEnv } from "../../support/app-env";
import { inRequestScope, ORIGIN, signInCookie } from "../../support/route-harness";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";

const PASSWORD = "a long enough password";
let database: TestDatabase;
let client: Db;
let cookie: string;
let userId: string;
let keyActions: typeof import("@/app/(dashboard)/keys/actions");
let wizard: typeof import("@/app/(dashboard)/keys/[id]/unbind/actions");
let webhooks: typeof import("@/app/(dashboard)/settings/notifications/actions");

beforeAll(async () => {
  database = await createTestDatabase();
  useTestEnv(database.url);
  client = createPrismaClient(database.url);
  const email = `action-${Date.now()}@it.test`;
  userId = (await signUp(client, { email, password: PASSWORD }, noRequestMeta)).id;
  const { handlers } = await import("@/auth");
  cookie = await signInCookie(handlers, email, PASSWORD);
  keyActions = await import("@/app/(dashboard)/keys/actions");
  wizard = await import("@/app/(dashboard)/keys/[id]/unbind/actions");
  webhooks = await import("@/app/(dashboard)/settings/notifications/actions");
});

afterAll(async () => {
  await client?.$disconnect();
  await database?.drop();
});

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
};
const asUser = <T>(work: () => Promise<T>, signedIn = true) =>
  inRequestScope(new Request(`${ORIGIN}/keys/new`, { method: "POST", headers: signedIn ? { cookie, origin: ORIGIN } : { origin: ORIGIN } }), work);

describe("userAction", () => {
  it("answers a signed-out visitor with a message, running nothing", async () => {
    const state = await asUser(() => keyActions.bindKeyAction({}, form({ exchange: "binance", label: "x", apiKey: "k".repeat(20), secret: "s".repeat(20) })), false);
    expect(state).toMatchObject({ message: "Sign in to continue." });
    expect(await client.exchangeBinding.count()).toBe(0);
  });

  it("gives field errors for invalid input, keeping what was typed", async () => {
    const state = await asUser(() => keyActions.bindKeyAction({}, form({ exchange: "binance", label: "Main" })));
    expect(state.message).toBe("Check the highlighted fields.");
    expect(Object.keys(state.fieldErrors ?? {})).toEqual(expect.arrayContaining(["apiKey", "secret"]));
    expect(state.values).toEqual({ exchange: "binance", label: "Main" });
  });

  it("turns an AppError into the form's message, next to the field it names", async () => {
    const state = await asUser(() => keyActions.bindKeyAction({}, form({ exchange: "constructor", label: "Main", apiKey: "k".repeat(20), secret: "s".repeat(20) })));
    expect(state).toEqual({
      message: 'Exchange "constructor" is not supported: choose one from the list.',
      fieldErrors: { exchange: 'Exchange "constructor" is not supported: choose one from the list.' },
      values: { exchange: "constructor", label: "Main" },
    });
  });

  it("lets an action shape its own refusals", async () => {
    expect(await asUser(() => wizard.wizardAction({}, form({ sessionId: "../x", type: "confirm" })))).toEqual({ message: "This wizard session is not valid: reload the page." });
    const unknownSession = await asUser(() => wizard.wizardAction({}, form({ sessionId: "abcdefghij0123", type: "confirm" })));
    expect(unknownSession.ok).toBeUndefined();
    expect(unknownSession.message).toBeTruthy();
  });

  it("works as a plain <form action>: the state is dropped, nothing is thrown", async () => {
    await expect(asUser(() => webhooks.deleteTargetAction(form({ targetId: "abcdefghij0123" })))).resolves.toBeUndefined();
    await expect(asUser(() => webhooks.toggleTargetAction(form({ targetId: "no" })))).resolves.toBeUndefined();
    expect(await client.auditEvent.count({ where: { userId, type: { startsWith: "notify" } } })).toBe(0);
  });
});
