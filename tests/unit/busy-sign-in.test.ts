import { createServer, request, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// scripts/lib/busy-sign-in.cjs, preloaded into the Next process: while the process says it has
// no room for a sign-in (globalThis.myitsSignInBusy), a credentials callback is refused before
// the server's own handler (Next) sees it; everything else reaches the handler.

const flag = globalThis as { myitsSignInBusy?: () => boolean };
let busy = false;
let handled: string[] = [];
let port = 0;
const server = createServer((req, res) => {
  handled.push(`${req.method} ${req.url}`);
  req.resume();
  req.on("end", () => res.end("next"));
});

beforeAll(async () => {
  createRequire(import.meta.url)("../../scripts/lib/busy-sign-in.cjs");
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => {
  delete flag.myitsSignInBusy;
  server.close();
});

function send(method: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const sent = request({ port, host: "127.0.0.1", method, path, headers: { "content-type": "application/x-www-form-urlencoded", ...headers } }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    sent.on("error", reject);
    sent.end(method === "POST" ? "email=a%40b.test&password=guess&csrfToken=x" : undefined);
  });
}

describe("scripts/lib/busy-sign-in.cjs (preloaded into the Next process)", () => {
  it("passes everything on while the process has room, or before the app has said anything", async () => {
    handled = [];
    expect((await send("POST", "/api/auth/callback/credentials")).body).toBe("next");
    flag.myitsSignInBusy = () => busy;
    expect((await send("POST", "/api/auth/callback/credentials")).body).toBe("next");
    expect(handled).toHaveLength(2);
  });

  it("refuses a credentials sign-in as busy without the handler while the process has no room", async () => {
    flag.myitsSignInBusy = () => busy;
    busy = true;
    handled = [];
    const refused = await send("POST", "/api/auth/callback/credentials");
    expect(refused.status).toBe(302);
    expect(refused.headers.location).toBe("/login?error=CredentialsSignin&code=busy");
    const asJson = await send("POST", "/api/auth/callback/credentials?", { "x-auth-return-redirect": "1" });
    expect(JSON.parse(asJson.body)).toEqual({ url: "/login?error=CredentialsSignin&code=busy" });
    expect(handled).toEqual([]);
    // Only that endpoint, and only POST: sign-out, the session, pages all reach the handler.
    for (const [method, path] of [["POST", "/api/auth/signout"], ["GET", "/api/auth/callback/credentials"], ["GET", "/api/auth/session"], ["POST", "/api/auth/callback/credentialsX"]] as const) {
      expect((await send(method, path)).body).toBe("next");
    }
    expect(handled).toHaveLength(4);
    busy = false;
    expect((await send("POST", "/api/auth/callback/credentials")).body).toBe("next");
  });
});
