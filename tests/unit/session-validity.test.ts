import { describe, expect, it } from "vitest";
import { sessionIsCurrent } from "@/lib/auth/session-validity";

const user = { credentialVersion: 3, credentialChangedBySid: "changer" };

describe("session validity", () => {
  it("holds for a token of the current credential version", () => {
    expect(sessionIsCurrent({ sessionId: "any", credentialVersion: 3 }, user)).toBe(true);
  });

  it("ends a token of an older (or any other) version", () => {
    expect(sessionIsCurrent({ sessionId: "other", credentialVersion: 2 }, user)).toBe(false);
    expect(sessionIsCurrent({ sessionId: "other", credentialVersion: 4 }, user)).toBe(false);
  });

  it("keeps the session that raised the version, whatever version it signed in under", () => {
    expect(sessionIsCurrent({ sessionId: "changer", credentialVersion: 0 }, user)).toBe(true);
    expect(sessionIsCurrent({ sessionId: "changer", credentialVersion: 2 }, { credentialVersion: 3, credentialChangedBySid: "someone-else" })).toBe(false);
  });

  it("refuses a token without a session id or version (issued before sessions had them)", () => {
    expect(sessionIsCurrent({ sessionId: undefined, credentialVersion: 3 }, user)).toBe(false);
    expect(sessionIsCurrent({ sessionId: "changer", credentialVersion: undefined }, user)).toBe(false);
  });
});
