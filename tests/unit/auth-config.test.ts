import { describe, expect, it } from "vitest";
import { authConfig } from "@/auth.config";

// The JWT gets its session id and credential version at sign-in only; a later call (a page
// load, or an `update` a browser may trigger itself) never re-stamps them.
type JwtParams = Parameters<typeof authConfig.callbacks.jwt>[0];
const jwt = (params: Partial<JwtParams>) => authConfig.callbacks.jwt({ token: {}, ...params } as JwtParams) as Record<string, unknown>;

describe("session token", () => {
  it("gets the user id, a random session id and the user's credential version at sign-in", () => {
    const first = jwt({ token: {}, user: { id: "u1", credentialVersion: 4 } });
    const second = jwt({ token: {}, user: { id: "u1", credentialVersion: 4 } });
    expect(first).toMatchObject({ sub: "u1", cv: 4, sid: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(second.sid).not.toBe(first.sid);
  });

  it("keeps the version and session id it was issued with on every later call, an update included", () => {
    const token = { sub: "u1", sid: "s-1", cv: 2 };
    expect(jwt({ token: { ...token } })).toEqual(token);
    expect(jwt({ token: { ...token }, trigger: "update", session: { credentialVersion: 9, sessionId: "s-2" } })).toEqual(token);
  });
});
