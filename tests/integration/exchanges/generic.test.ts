import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExchangeSim } from "@/lib/exchange-sim";
import { createGenericAdapter } from "@/lib/exchanges/generic";
import { credentialsOf, startSim } from "./harness";

// The generic adapter knows nothing exchange-specific; pointed at the simulator's OKX and
// Bybit dialects it shows what any other ccxt exchange gets: a balance check, and no claim that
// a refused key is deleted.
describe("generic adapter through ccxt's unified methods", () => {
  let sim: ExchangeSim;
  let env: Record<string, string>;

  beforeAll(async () => {
    ({ sim, env } = await startSim());
  });
  afterAll(async () => sim?.close());

  it.each(["okx", "bybit"] as const)("%s: valid with unknown permissions, unreachable when down, never revoked", async (exchange) => {
    const adapter = createGenericAdapter(exchange, { env });
    const key = sim.createKey({ exchange, permissions: { read: true, spotTrade: true } });
    const valid = await adapter.describeKey(credentialsOf(key));
    expect(valid).toMatchObject({ status: "valid", permissionsKnown: false, permissions: { read: true, withdraw: false } });

    sim.setFault({ exchange, kind: "error", status: 503 });
    expect((await adapter.describeKey(credentialsOf(key))).status).toBe("unreachable");
    sim.clearFaults();

    // An IP restriction and a deletion both end in a refusal ccxt cannot tell apart: neither is "revoked".
    sim.restrictKey(exchange, key.apiKey, { ipWhitelist: ["203.0.113.7"] });
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({ status: "ambiguous" });
    sim.deleteKey(exchange, key.apiKey);
    expect(await adapter.describeKey(credentialsOf(key))).toMatchObject({ status: "ambiguous" });
  });
});
