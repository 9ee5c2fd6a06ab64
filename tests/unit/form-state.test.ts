import { describe, expect, it } from "vitest";
import { authConfig } from "@/auth.config";
import { safeReturnPath } from "@/lib/http/form-state";
import { sameOriginPath } from "@/lib/http/same-origin";

// Every way a browser reads a path as another host: the URL parser drops tabs and newlines
// and reads backslashes as slashes; a query parameter arrives percent-decoded.
const ESCAPES = [
  "https://evil.example",
  "//evil.example",
  "/\\evil.example",
  "/\\/evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/%09/evil.example",
  "/%5Cevil.example",
  "/%2F/evil.example",
  "\t//evil.example",
  " //evil.example",
  "https:evil.example",
  "http://127.0.0.1:3000@evil.example/",
  "javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
];

describe("return path after sign-in", () => {
  it("keeps same-origin paths", () => {
    expect(safeReturnPath("/audit?before=10")).toBe("/audit?before=10");
    expect(safeReturnPath("/keys/abc/unbind#step-2")).toBe("/keys/abc/unbind#step-2");
  });
  it("refuses other origins, whatever the browser would make of them", () => {
    for (const value of [...ESCAPES, "", undefined, 42, null]) {
      expect([value, safeReturnPath(value)]).toEqual([value, "/keys"]);
    }
  });
});

describe("Auth.js redirect callback", () => {
  const baseUrl = "http://127.0.0.1:3000";
  const redirect = (url: string) => authConfig.callbacks.redirect({ url, baseUrl });
  it("keeps our own origin as a path", () => {
    expect(redirect("/keys?bound=1")).toBe("/keys?bound=1");
    expect(redirect("http://127.0.0.1:3000/backups")).toBe("/backups");
  });
  it("sends everything else home", () => {
    for (const url of [...ESCAPES, "http://127.0.0.1:3001/keys", "https://127.0.0.1:3000/keys"]) {
      expect([url, redirect(url)]).toEqual([url, "/"]);
    }
  });
  it("is the rule sameOriginPath states", () => {
    expect(sameOriginPath("/a b", baseUrl)).toBe("/a%20b");
    expect(sameOriginPath("/x", "not a url")).toBeNull();
  });
});
