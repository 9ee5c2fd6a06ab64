// Binding a key and reading its live facts, against a real Postgres and the simulator over HTTP:
// verified before saving, withdraw-enabled refused and audited, no-IP accepted with a warning,
// secrets sealed, duplicates refused; live checks cached, forced, time-limited, and scoped.

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { noRequestMeta } from "@/lib/auth/request-meta";
import { openSecret } from "@/lib/crypto/secrets";
import { createPrismaClient, type Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { startExchangeSim, type ExchangeSim } from "@/lib/exchange-sim";
import { bindKey } from "@/lib/keys/bind-key";
import { checkKeyLive, LIVE_FACTS_STALE_MS, LIVE_FACTS_TTL_MS } from "@/lib/keys/live-facts";
import { useTestEnv } from "../../support/app-env";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";
import { createUser, READ_ONLY, simEnv } from "../backups/harness";

let database: TestDatabase;
let client: Db;
let sim: ExchangeSim;
let alice: string;
let bob: string;
let context: { env: Record<string, string>; enableRateLimit: false };

beforeAll(async () => {
  database = await createTestDatabase();
  useTestEnv(database.url);
  client = createPrismaClient(database.url);
  sim = await startExchangeSim({ port: 0, seed: 5 });
  context = { env: simEnv(sim.origin), enableRateLimit: false };
  alice = await createUser(client);
  bob = await createUser(client);
});

afterAll(async () => {
  await sim?.close();
  await client?.$disconnect();
  await database?.drop();
});

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("binding", () => {
  it("verifies live, seals the secrets, warns about a missing IP whitelist and audits", async () => {
    const key = sim.createKey({ exchange: "binance", permissions: READ_ONLY });
    const { binding, warnings } = await bindKey(client, alice, { exchange: "binance", label: "Main", apiKey: key.apiKey, secret: key.secret }, noRequestMeta, context);
    expect(warnings.join(" ")).toMatch(/IP/);
    const stored = await client.exchangeBinding.findUniqueOrThrow({ where: { id: binding.id }, select: { apiKeyEnc: true, secretEnc: true, apiKeyMasked: true, permissions: true, ipRestricted: true } });
    expect(stored.secretEnc).not.toContain(key.secret);
    expect(stored.apiKeyEnc).not.toContain(key.apiKey);
    expect(openSecret(stored.secretEnc, "ExchangeBinding.secret")).toBe(key.secret);
    expect(stored.apiKeyMasked).toBe(`${key.apiKey.slice(0, 4)}…${key.apiKey.slice(-4)}`);
    expect(stored).toMatchObject({ ipRestricted: false, permissions: expect.objectContaining({ normalized: expect.objectContaining({ read: true, withdraw: false }) }) });
    const event = await client.auditEvent.findFirstOrThrow({ where: { bindingId: binding.id, type: "key.bound" } });
    expect(JSON.stringify(event.data)).not.toContain(key.secret);

    const again = await refusal(bindKey(client, alice, { exchange: "binance", label: "Again", apiKey: key.apiKey, secret: key.secret }, noRequestMeta, context));
    expect(again.message).toMatch(/already bound/i);
  });

  it("refuses a withdraw-enabled key with an explanation, stores nothing, and audits the refusal", async () => {
    const key = sim.createKey({ exchange: "bybit", permissions: { ...READ_ONLY, withdraw: true } });
    const error = await refusal(bindKey(client, alice, { exchange: "bybit", label: "Risky", apiKey: key.apiKey, secret: key.secret }, noRequestMeta, context));
    expect(error).toMatchObject({ code: "BAD_REQUEST", details: expect.objectContaining({ reason: "withdraw_enabled" }) });
    expect(error.message).toMatch(/can withdraw funds/);
    expect(await client.exchangeBinding.count({ where: { userId: alice, label: "Risky" } })).toBe(0);
    expect(await client.auditEvent.count({ where: { userId: alice, type: "key.bind_refused" } })).toBe(1);
  });

  it("refuses a wrong secret and a deleted key before saving anything", async () => {
    const key = sim.createKey({ exchange: "okx", permissions: READ_ONLY });
    const wrong = await refusal(bindKey(client, alice, { exchange: "okx", label: "x", apiKey: key.apiKey, secret: `${key.secret}x`, passphrase: key.passphrase }, noRequestMeta, context));
    expect(wrong.code).toBe("BAD_REQUEST");
    sim.deleteKey("okx", key.apiKey);
    const gone = await refusal(bindKey(client, alice, { exchange: "okx", label: "x", apiKey: key.apiKey, secret: key.secret, passphrase: key.passphrase }, noRequestMeta, context));
    expect(gone.code).toBe("BAD_REQUEST");
    expect(await client.exchangeBinding.count({ where: { userId: alice, exchange: "okx" } })).toBe(0);
  });
});

describe("live facts", () => {
  it("valid, cached within the TTL, revoked after deletion on a forced re-check; scoped to the owner", async () => {
    const key = sim.createKey({ exchange: "binance", permissions: READ_ONLY, ipWhitelist: ["127.0.0.1"] });
    const { binding } = await bindKey(client, alice, { exchange: "binance", label: "Checked", apiKey: key.apiKey, secret: key.secret }, noRequestMeta, context);
    const first = await checkKeyLive(client, alice, binding.id, { force: true, context });
    expect(first).toMatchObject({ status: "valid", fromCache: false, explanation: null });
    sim.deleteKey("binance", key.apiKey);
    expect(await checkKeyLive(client, alice, binding.id, { context })).toMatchObject({ status: "valid", fromCache: true });
    const rechecked = await checkKeyLive(client, alice, binding.id, { force: true, context });
    expect(rechecked).toMatchObject({ status: "revoked", fromCache: false });
    expect(rechecked.explanation).toMatch(/does not exist/);
    expect((await client.exchangeBinding.findUniqueOrThrow({ where: { id: binding.id } })).status).toBe("REVOKED");
    expect((await refusal(checkKeyLive(client, bob, binding.id, { force: true, context }))).code).toBe("NOT_FOUND");
  });

  describe("past the cache's time", () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it("shows the last answer while one fresh check runs behind it; much later, it waits for the exchange", async () => {
      const [key, other] = [0, 1].map(() => sim.createKey({ exchange: "binance", permissions: READ_ONLY, ipWhitelist: ["127.0.0.1"] }));
      const { binding } = await bindKey(client, alice, { exchange: "binance", label: "Stale", apiKey: key!.apiKey, secret: key!.secret }, noRequestMeta, context);
      const bound = await bindKey(client, alice, { exchange: "binance", label: "Old", apiKey: other!.apiKey, secret: other!.secret }, noRequestMeta, context);
      const first = await checkKeyLive(client, alice, binding.id, { force: true, context });
      await checkKeyLive(client, alice, bound.binding.id, { force: true, context });
      sim.deleteKey("binance", key!.apiKey);
      sim.deleteKey("binance", other!.apiKey);
      // Only the clock moves (timers and I/O stay real): the answers are past their time.
      vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + LIVE_FACTS_TTL_MS + 1_000 });
      const stale = await checkKeyLive(client, alice, binding.id, { context });
      expect(stale).toMatchObject({ status: "valid", fromCache: true, checkedAt: first.checkedAt });
      // The check behind it lands in the cache: wait for it, a turn of the event loop at a time.
      let latest = stale;
      for (let turn = 0; latest.checkedAt.getTime() === first.checkedAt.getTime() && turn < 200_000; turn++) {
        await new Promise((resolve) => setImmediate(resolve));
        latest = await checkKeyLive(client, alice, binding.id, { context });
      }
      expect(latest).toMatchObject({ status: "revoked", fromCache: true });
      expect((await client.exchangeBinding.findUniqueOrThrow({ where: { id: binding.id } })).status).toBe("REVOKED");

      // Far past its time, an answer is not shown: the check is waited for.
      vi.setSystemTime(Date.now() + LIVE_FACTS_TTL_MS + LIVE_FACTS_STALE_MS + 1_000);
      expect(await checkKeyLive(client, alice, bound.binding.id, { context })).toMatchObject({ status: "revoked", fromCache: false });
    });
  });

  it("the cache is per user: another user sending the id of a checked key gets NOT_FOUND, not its cached facts", async () => {
    const key = sim.createKey({ exchange: "binance", permissions: READ_ONLY, ipWhitelist: ["127.0.0.1"] });
    const { binding } = await bindKey(client, alice, { exchange: "binance", label: "Cached", apiKey: key.apiKey, secret: key.secret }, noRequestMeta, context);
    expect(await checkKeyLive(client, alice, binding.id, { force: true, context })).toMatchObject({ status: "valid", fromCache: false });
    expect(await checkKeyLive(client, alice, binding.id, { context })).toMatchObject({ status: "valid", fromCache: true });
    // not forced: the path a page load takes, the one a cache keyed by binding alone answered
    expect((await refusal(checkKeyLive(client, bob, binding.id, { context }))).code).toBe("NOT_FOUND");
    // nor while alice's check is in flight
    const [mine, theirs] = await Promise.allSettled([checkKeyLive(client, alice, binding.id, { force: true, context }), checkKeyLive(client, bob, binding.id, { context })]);
    expect(mine).toMatchObject({ status: "fulfilled", value: { status: "valid" } });
    expect(theirs).toMatchObject({ status: "rejected", reason: expect.objectContaining({ code: "NOT_FOUND" }) });
  });

  it("a slow exchange answers 'unreachable' within the time limit while another exchange's key is checked normally", async () => {
    const slow = sim.createKey({ exchange: "okx", permissions: READ_ONLY, ipWhitelist: ["127.0.0.1"] });
    const fast = sim.createKey({ exchange: "bybit", permissions: READ_ONLY, ipWhitelist: ["127.0.0.1"] });
    const slowId = (await bindKey(client, alice, { exchange: "okx", label: "Slow", apiKey: slow.apiKey, secret: slow.secret, passphrase: slow.passphrase }, noRequestMeta, context)).binding.id;
    const fastId = (await bindKey(client, alice, { exchange: "bybit", label: "Fast", apiKey: fast.apiKey, secret: fast.secret }, noRequestMeta, context)).binding.id;
    sim.setFault({ exchange: "okx", kind: "latency", ms: 5_000 });
    try {
      const started = performance.now();
      const [slowFacts, fastFacts] = await Promise.all([
        checkKeyLive(client, alice, slowId, { force: true, timeoutMs: 500, context }),
        checkKeyLive(client, alice, fastId, { force: true, timeoutMs: 500, context }),
      ]);
      expect(slowFacts.status).toBe("unreachable");
      expect(fastFacts.status).toBe("valid");
      expect(performance.now() - started).toBeLessThan(4_000);
    } finally {
      sim.clearFaults();
    }
  });
});
