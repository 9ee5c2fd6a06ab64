import { describe, expect, it } from "vitest";
import { classifyExportFailure, ExportInterruptedError, isExportInterrupted } from "@/lib/backups/export/errors";
import { ExchangeAdapterError } from "@/lib/exchanges/errors";
import type { ClassifiedError } from "@/lib/exchanges/types";
import { AppError } from "@/lib/errors";

const adapterError = (classified: ClassifiedError) => new ExchangeAdapterError("binance", classified);

describe("classifyExportFailure", () => {
  it("retries what is transient", () => {
    for (const reason of ["timeout", "exchange_unavailable", "malformed_response", "network", "clock_skew"] as const) {
      expect(classifyExportFailure(adapterError({ status: "unreachable", reason, message: "x" }))).toMatchObject({ retryable: true, rateLimited: false });
    }
    expect(classifyExportFailure(new Error("connection terminated"))).toMatchObject({ retryable: true });
  });

  it("treats a 429 as pacing, with its Retry-After", () => {
    expect(classifyExportFailure(adapterError({ status: "unreachable", reason: "rate_limited", message: "x", retryAfterMs: 4000 }))).toMatchObject({
      retryable: true,
      rateLimited: true,
      retryAfterMs: 4000,
    });
  });

  it("stops for good, in words the user understands, when the key is the problem", () => {
    const revoked = classifyExportFailure(adapterError({ status: "revoked", reason: "key_not_found", code: "-2008", message: "raw ccxt text" }));
    expect(revoked.retryable).toBe(false);
    expect(revoked.message).toBe("The export stopped: the exchange says this API key does not exist (deleted, or mistyped) (exchange code -2008).");
    expect(revoked.message).not.toContain("raw ccxt text");
    expect(classifyExportFailure(adapterError({ status: "ambiguous", reason: "key_ip_or_permission", code: "-2015", message: "x" })).retryable).toBe(false);
    expect(classifyExportFailure(adapterError({ status: "valid", reason: "ip_not_allowed", code: "50110", message: "x" })).retryable).toBe(false);
    expect(classifyExportFailure(adapterError({ status: "unreachable", reason: "configuration", message: "x" })).retryable).toBe(false);
    expect(classifyExportFailure(new AppError("NOT_FOUND", "No such key."))).toMatchObject({ retryable: false, message: "The export stopped: No such key." });
  });

  it("recognises an interruption", () => {
    expect(isExportInterrupted(new ExportInterruptedError())).toBe(true);
    expect(isExportInterrupted(new DOMException("aborted", "AbortError"))).toBe(true);
    expect(isExportInterrupted(new Error("boom"))).toBe(false);
  });
});
