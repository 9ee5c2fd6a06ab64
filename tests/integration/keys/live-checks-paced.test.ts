// The checks a user waits for (bind, live check, unbind confirmation) cannot get the server's IP
// banned: they go through the same process-wide pacer as exports. Against a simulator whose
// Binance weight limit is small (and a pacer configured with it, as for a testnet), bursts of
// binds and forced live checks through the real functions never meet a 429 or a 418; the same
// burst without the pacer is banned, so the limit is really there.

import { setTimeout } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noRequestMeta } from "@/lib/auth/request-meta";
import { createPrismaClient, type Db } from "@/lib/db";
import { startExchangeSim, type ExchangeSim } from "@/lib/exchange-sim";
import { noPacing } from "@/lib/exchanges/call";
import { sharedPacer } from "@/lib/exchanges/pacing/shared";
import { bindKey } from "@/lib/keys/bind-key";
import { checkKeyLive } from "@/lib/keys/live-facts";
import { askExchange } from "@/lib/unbind/ask-exchange";
import { loadSession, startUnbind } from "@/lib/unbind/unbind-session";
import { useTestEnv } from "../../support/app-env";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";
import { createUser, READ_ONLY, simEnv } from "../backups/harness";

const LIMIT = 24;
// long enough that the whole burst falls in one window even on a slow machine (it did not in 1.5 s)
const WINDOW_MS = 5_000;
const KEYS = 12;

let database: TestDatabase;
let client: Db;
let sim: ExchangeSim;
let userId: string;
let env: Record<string, string>;
const bindingIds: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  useTestEnv(database.url);
  client = createPrismaClient(database.url);
  sim = await startExchangeSim({ port: 0, seed: 3, binance: { weightLimitPerMinute: LIMIT, windowMs: WINDOW_MS } });
  env = simEnv(sim.origin, { EXCHANGE_WEIGHT_LIMIT_BINANCE: String(LIMIT), EXCHANGE_WEIGHT_WINDOW_MS_BINANCE: String(WINDOW_MS) });
  userId = await createUser(client);
});

afterAll(async () => {
  await sim?.close();
  await client?.$disconnect();
  await database?.drop();
});

const binanceLimits = () => ({ rateLimited429: sim.stats().binance.rateLimited429, banned418: sim.stats().binance.banned418 });

describe("live checks share the exchange's pacer", () => {
  it("binds, forced live checks and unbind confirmations, several windows' worth at once, never earn a 429 or a 418", async () => {
    const pacer = sharedPacer("binance", "weight", env);
    const before = pacer.stats.requests;
    // ccxt's own limiter off: the shared pacer alone holds the requests
    const context = { env, enableRateLimit: false, timeoutMs: 15_000 };
    // start just after a window opens (the simulator's and the pacer's windows are aligned to
    // the epoch), so the burst is asked for within one window rather than across two
    await setTimeout(WINDOW_MS - (Date.now() % WINDOW_MS) + 50);
    const keys = Array.from({ length: KEYS }, () => sim.createKey({ exchange: "binance", permissions: READ_ONLY, ipWhitelist: ["127.0.0.1"] }));
    const bound = await Promise.all(
      keys.map((key, i) => bindKey(client, userId, { exchange: "binance", label: `Key ${i}`, apiKey: key.apiKey, secret: key.secret }, noRequestMeta, context)),
    );
    bindingIds.push(...bound.map((b) => b.binding.id));
    const { sessionId } = await startUnbind(client, userId, { bindingId: bindingIds[0]!, reason: "cleanup" }, noRequestMeta);
    const session = await loadSession(client, userId, sessionId);

    const rounds = 3;
    const answers = await Promise.all(
      Array.from({ length: rounds }, async () => {
        const facts = await Promise.all(bindingIds.map((id) => checkKeyLive(client, userId, id, { force: true, timeoutMs: 15_000, context })));
        const confirmation = await askExchange(client, session, context);
        return [...facts.map((f) => f.status), confirmation.outcome];
      }),
    );
    const sent = pacer.stats.requests - before;
    expect(sent, "every request went through the shared pacer").toBeGreaterThanOrEqual(KEYS + KEYS);
    expect(answers.flat().every((status) => status === "valid")).toBe(true);
    expect(binanceLimits()).toMatchObject({ rateLimited429: 0, banned418: 0 });
    // more than a window's budget was asked for: the pacer held some until the next window
    expect(sent).toBeGreaterThan(LIMIT);
    expect(pacer.stats.waits).toBeGreaterThan(0);
  }, 60_000);

  it("a check that cannot get budget within its time limit answers 'unreachable' without sending", async () => {
    const context = { env, enableRateLimit: false };
    sim.resetStats();
    const served = () => Object.values(sim.stats().byPath).reduce((a, b) => a + b, 0);
    // spend the window, then ask with a deadline shorter than the wait for the next one
    const pacer = sharedPacer("binance", "weight", env);
    const whole = { exchange: "binance", endpoint: "spend-the-window", weight: LIMIT };
    await pacer.beforeRequest(whole);
    pacer.afterResponse(whole, { headers: {} });
    const before = served();
    const facts = await checkKeyLive(client, userId, bindingIds[1]!, { force: true, timeoutMs: 50, context });
    expect(facts).toMatchObject({ status: "unreachable", explanation: expect.stringMatching(/rate-limiting/) });
    expect(served()).toBe(before);
  });

  it("without the pacer the same burst is banned (the limit in this test is real)", async () => {
    sim.resetRateLimits();
    const context = { env, enableRateLimit: false, pacer: noPacing };
    const facts = await Promise.all(bindingIds.concat(bindingIds, bindingIds).map((id, i) => checkKeyLive(client, userId, id, { force: i < bindingIds.length, context })));
    await Promise.all(bindingIds.map((id) => checkKeyLive(client, userId, id, { force: true, context })));
    await Promise.all(bindingIds.map((id) => checkKeyLive(client, userId, id, { force: true, context })));
    expect(facts.length).toBeGreaterThan(0);
    expect(binanceLimits().banned418).toBeGreaterThan(0);
  });
});
