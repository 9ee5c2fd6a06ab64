import { describe, expect, it } from "vitest";
import { FaultRegistry } from "@/lib/exchange-sim/faults";

describe("fault registry", () => {
  it("adds latencies, picks the first terminal fault, and counts down", () => {
    const f = new FaultRegistry();
    f.add({ kind: "latency", ms: 10 });
    f.add({ exchange: "okx", kind: "latency", ms: 5, count: 1 });
    f.add({ exchange: "okx", pathPrefix: "/api/v5/trade", kind: "error", status: 500, count: 2 });
    f.add({ kind: "malformed" });
    expect(f.take("okx", "/api/v5/trade/fills")).toMatchObject({ latencyMs: 15, terminal: { kind: "error" } });
    expect(f.take("okx", "/api/v5/trade/fills")).toMatchObject({ latencyMs: 10, terminal: { kind: "error" } });
    expect(f.take("okx", "/api/v5/trade/fills")).toMatchObject({ latencyMs: 10, terminal: { kind: "malformed" } });
    expect(f.take("binance", "/api/v3/time")).toMatchObject({ latencyMs: 10, terminal: { kind: "malformed" } });
    expect(f.list()).toEqual([{ kind: "latency", ms: 10 }, { kind: "malformed" }]);
    f.clear();
    expect(f.take("bybit", "/v5/market/time")).toEqual({ latencyMs: 0 });
    expect(() => f.add({ kind: "error", count: 0 })).toThrow();
  });
});
