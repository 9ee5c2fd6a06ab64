import { describe, expect, it } from "vitest";
import { safeReturnPath } from "@/lib/http/form-state";

describe("return path after sign-in", () => {
  it("keeps same-site paths", () => {
    expect(safeReturnPath("/audit?before=10")).toBe("/audit?before=10");
  });
  it("refuses other origins and protocol-relative tricks", () => {
    for (const value of ["https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)", undefined, 42]) {
      expect(safeReturnPath(value)).toBe("/keys");
    }
  });
});
