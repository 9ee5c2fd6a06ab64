import { decode, encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { decodeSessionJwt, encodeSessionJwt } from "@/lib/auth/session-jwt";

// lib/auth/session-jwt.ts is Auth.js's token format with the derived key kept: tokens must pass
// both ways between it and Auth.js's own encode/decode, and refuse what Auth.js refuses.
const secret = "a-session-secret-of-at-least-32-characters";
const salt = "authjs.session-token";
const claims = { sub: "user-1", sid: "session-1", cv: 3 };

describe("session tokens", () => {
  it("decodes a token made by Auth.js, and Auth.js decodes one made here", async () => {
    const byAuthJs = await encode({ token: claims, secret, salt, maxAge: 60 });
    expect(await decodeSessionJwt({ token: byAuthJs, secret, salt })).toMatchObject(claims);
    const here = await encodeSessionJwt({ token: claims, secret, salt, maxAge: 60 });
    expect(await decode({ token: here, secret, salt })).toMatchObject({ ...claims, exp: expect.any(Number), jti: expect.any(String) });
  });

  it("refuses another secret, another salt (cookie name) and a changed byte", async () => {
    const token = await encodeSessionJwt({ token: claims, secret, salt, maxAge: 60 });
    await expect(decodeSessionJwt({ token, secret: "another-secret-of-at-least-32-characters", salt })).rejects.toThrow();
    await expect(decodeSessionJwt({ token, secret, salt: `__Secure-${salt}` })).rejects.toThrow();
    const parts = token.split(".");
    const tag = parts[4]!;
    parts[4] = `${tag[0] === "A" ? "B" : "A"}${tag.slice(1)}`;
    await expect(decodeSessionJwt({ token: parts.join("."), secret, salt })).rejects.toThrow();
  });

  it("takes the first of rotated secrets that matches, as Auth.js does", async () => {
    const old = await encode({ token: claims, secret, salt, maxAge: 60 });
    expect(await decodeSessionJwt({ token: old, secret: ["a-newer-secret-of-at-least-32-characters", secret], salt })).toMatchObject(claims);
  });

  it("refuses an expired token (beyond the 15 s of clock tolerance)", async () => {
    const expired = await encodeSessionJwt({ token: claims, secret, salt, maxAge: -60 });
    await expect(decodeSessionJwt({ token: expired, secret, salt })).rejects.toThrow(/exp/);
  });
});
