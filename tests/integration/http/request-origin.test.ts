// The cross-site rule of every state-changing route handler, through the app's real handlers
// signed in through Auth.js: an Origin naming this host, and a JSON body (the restore upload:
// multipart). And a few inputs that used to reach the code behind as something else.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noRequestMeta } from "@/lib/auth/request-meta";
import { signUp } from "@/lib/auth/sign-up";
import { createPrismaClient, type Db } from "@/lib/db";
import { useTestEnv } from "../../support/app-env";
import { callRoute, ORIGIN, signInCookie } from "../../support/route-harness";
import { createSealedBinding } from "../../support/sealed-binding";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";

const PASSWORD = "a long enough password";
let database: TestDatabase;
let client: Db;
let cookie: string;
let bindingId: string;
let keys: typeof import("@/app/api/keys/route");
let restore: typeof import("@/app/api/keys/[id]/restore/route");
let unbind: typeof import("@/app/api/unbind/route");

beforeAll(async () => {
  database = await createTestDatabase();
  useTestEnv(database.url);
  client = createPrismaClient(database.url);
  const email = `origin-${Date.now()}@it.test`;
  const user = await signUp(client, { email, password: PASSWORD }, noRequestMeta);
  bindingId = await createSealedBinding(client, user.id, { exchange: "binance", label: "Main", apiKey: "origin-test-key-0001", secret: "s3cret-origin" });
  const { handlers } = await import("@/auth");
  cookie = await signInCookie(handlers, email, PASSWORD);
  keys = await import("@/app/api/keys/route");
  restore = await import("@/app/api/keys/[id]/restore/route");
  unbind = await import("@/app/api/unbind/route");
});

afterAll(async () => {
  await client?.$disconnect();
  await database?.drop();
});

const post = (path: string, headers: Record<string, string>, body: BodyInit = JSON.stringify({})) =>
  new Request(`${ORIGIN}${path}`, { method: "POST", headers: { cookie, ...headers }, body });
const errorOf = async (response: Response) => ({ status: response.status, ...((await response.json()) as { error: { code: string; message: string } }).error });

describe("state-changing route handlers", () => {
  it("refuse a request without Origin, or from another site, before anything else (403)", async () => {
    for (const origin of [undefined, "https://evil.example", "http://127.0.0.1:3001", "null", "http://127.0.0.1:3000.evil.example"]) {
      const headers: Record<string, string> = { "content-type": "application/json", ...(origin ? { origin } : {}) };
      const response = await callRoute(unbind.POST, post("/api/unbind", headers, JSON.stringify({ bindingId })));
      expect([origin, await errorOf(response)]).toEqual([origin, expect.objectContaining({ status: 403, code: "FORBIDDEN", message: expect.stringMatching(/Origin header/) })]);
    }
    expect(await client.unbindSession.count()).toBe(0);
    // the same request from the dashboard's own origin goes through
    const ok = await callRoute(unbind.POST, post("/api/unbind", { origin: ORIGIN, "content-type": "application/json" }, JSON.stringify({ bindingId })));
    expect(ok.status).toBe(201);
  });

  it("refuse bodies a foreign form can send without a preflight (415), the restore upload excepted", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", undefined]) {
      const headers: Record<string, string> = { origin: ORIGIN, ...(type ? { "content-type": type } : {}) };
      const response = await callRoute(keys.POST, post("/api/keys", headers, '{"exchange":"binance"}'));
      expect([type, response.status]).toEqual([type, 415]);
    }
    const json = await callRoute(restore.POST, post(`/api/keys/${bindingId}/restore`, { origin: ORIGIN, "content-type": "application/json" }), { id: bindingId });
    expect(await errorOf(json)).toMatchObject({ status: 415, message: "Send the request body as multipart/form-data." });
    const foreign = await callRoute(
      restore.POST,
      post(`/api/keys/${bindingId}/restore`, { origin: "https://evil.example", "content-type": "multipart/form-data; boundary=x" }, "--x--\r\n"),
      { id: bindingId },
    );
    expect(foreign.status).toBe(403);
  });

  it("let GET through without Origin (a link, a reload)", async () => {
    const { GET } = await import("@/app/api/audit/route");
    const response = await callRoute(GET, new Request(`${ORIGIN}/api/audit`, { headers: { cookie } }));
    expect(response.status).toBe(200);
  });
});

describe("exchange ids from a request", () => {
  it("that name Object's members are unsupported exchanges (400), not a crash (500)", async () => {
    for (const exchange of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      const body = JSON.stringify({ exchange, label: "x", apiKey: "k".repeat(16), secret: "s".repeat(16) });
      const response = await callRoute(keys.POST, post("/api/keys", { origin: ORIGIN, "content-type": "application/json" }, body));
      const error = await errorOf(response);
      expect([exchange, error.status, error.code]).toEqual([exchange, 400, "BAD_REQUEST"]);
      expect(error.message).toMatch(/not supported|Choose an exchange/);
    }
  });
});
