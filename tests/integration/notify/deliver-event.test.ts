// Signed webhooks against a real receiver over HTTP and a real Postgres: signatures that verify,
// retries with backoff on 5xx and timeouts, no retry on a permanent 4xx, delivery records, and
// webhooks scoped to their user. Then the unbind wizard's notify gate on top of them.

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { noRequestMeta } from "@/lib/auth/request-meta";
import { createPrismaClient, type Db } from "@/lib/db";
import { startExchangeSim, type ExchangeSim } from "@/lib/exchange-sim";
import { listDeliveries, notifyParties, retryDelivery } from "@/lib/notify/deliver-event";
import { createTarget, deleteTarget, listTargets, setTargetEnabled } from "@/lib/notify/notification-targets";
import { checklistIds } from "@/lib/unbind/security-checklist";
import { startUnbind } from "@/lib/unbind/unbind-session";
import { getWizardView } from "@/lib/unbind/wizard-view";
import { useTestEnv } from "../../support/app-env";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";
import { bindSimKey, READ_ONLY, simEnv } from "../backups/harness";
import { actor, createUserWithPassword, expectRefused, reauth, TEST_AUTH_SESSION } from "../unbind/harness";
import { startReceiver, type Receiver } from "./receiver";

let database: TestDatabase;
let client: Db;
let receiver: Receiver;
let sim: ExchangeSim;
let alice: string;
let bob: string;

const FAST = { retryDelaysMs: [10, 20, 40], timeoutMs: 300 };
const EVENT = { type: "key.unbind_planned", data: { exchange: "binance", label: "Main", maskedKey: "AbCd…WxYz" } };

beforeAll(async () => {
  database = await createTestDatabase();
  useTestEnv(database.url);
  client = createPrismaClient(database.url);
  receiver = await startReceiver();
  sim = await startExchangeSim({ port: 0, seed: 3 });
  alice = await createUserWithPassword(client);
  bob = await createUserWithPassword(client);
});

afterAll(async () => {
  await receiver?.close();
  await sim?.close();
  await client?.$disconnect();
  await database?.drop();
});

afterEach(async () => {
  receiver.script([]);
  receiver.received.length = 0;
  for (const userId of [alice, bob]) for (const target of await listTargets(client, userId)) await deleteTarget(client, userId, target.id, noRequestMeta);
});

async function addTarget(userId: string, name = "Team chat") {
  const created = await createTarget(client, userId, { name, url: receiver.url }, noRequestMeta);
  receiver.setSecret(created.signingSecret);
  return created;
}

describe("delivery", () => {
  it("delivers a signed JSON event that the receiver verifies", async () => {
    const { signingSecret, target } = await addTarget(alice);
    expect(signingSecret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const stored = await client.notificationTarget.findUniqueOrThrow({ where: { id: target.id }, select: { secretEnc: true } });
    expect(stored.secretEnc).not.toContain(signingSecret);

    const [delivery] = await notifyParties(client, alice, EVENT, FAST);
    expect(delivery).toMatchObject({ status: "DELIVERED", attempts: 1, lastStatusCode: 200, lastError: null, targetName: "Team chat" });
    expect(receiver.received).toHaveLength(1);
    const request = receiver.received[0]!;
    expect(request.signatureOk).toBe(true);
    expect(request.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(request.body) as { id: string; type: string; data: unknown };
    expect(body).toMatchObject({ id: expect.stringMatching(/^evt_/), type: EVENT.type, data: EVENT.data });
    expect(request.headers["myits-event-id"]).toBe(body.id);
  });

  it("retries after 5xx answers with backoff, then delivers", async () => {
    await addTarget(alice);
    receiver.script([500, 503]);
    const [delivery] = await notifyParties(client, alice, EVENT, FAST);
    expect(delivery).toMatchObject({ status: "DELIVERED", attempts: 3 });
    expect(receiver.received.map((r) => r.signatureOk)).toEqual([true, true, true]);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
  });

  it("gives up at once on a permanent 4xx", async () => {
    await addTarget(alice);
    receiver.script([410]);
    const [delivery] = await notifyParties(client, alice, EVENT, FAST);
    expect(delivery).toMatchObject({ status: "FAILED", attempts: 1, lastStatusCode: 410, lastError: "the receiver answered HTTP 410" });
  });

  it("fails after every attempt timed out, and a retry later delivers the same event", async () => {
    await addTarget(alice);
    receiver.script(["hang", "hang", "hang", "hang"]);
    const [failed] = await notifyParties(client, alice, EVENT, FAST);
    expect(failed).toMatchObject({ status: "FAILED", attempts: 4, lastStatusCode: null, lastError: "no answer in time" });
    const firstBody = receiver.received[0]!.body;

    receiver.script([]);
    const retried = await retryDelivery(client, alice, failed!.id, FAST);
    expect(retried).toMatchObject({ status: "DELIVERED", attempts: 5 });
    expect(receiver.received.at(-1)!.body).toBe(firstBody);
    await expectRefused(retryDelivery(client, alice, failed!.id, FAST), "CONFLICT");
  });

  it("stops retrying once another attempt could outlast the time the user waits, and says so", async () => {
    await addTarget(alice);
    receiver.script(["hang", "hang", "hang", "hang"]);
    // 300 ms timeouts: after the first, a second could end at ~610 ms, past the 500 ms budget
    const [failed] = await notifyParties(client, alice, EVENT, { ...FAST, budgetMs: 500 });
    expect(failed).toMatchObject({ status: "FAILED", attempts: 1, lastStatusCode: null, lastError: "no answer in time; stopped retrying for now" });
    expect(receiver.received).toHaveLength(1);

    receiver.script([]);
    expect(await retryDelivery(client, alice, failed!.id, FAST)).toMatchObject({ status: "DELIVERED", attempts: 2, lastError: null });
  });

  it("skips disabled webhooks", async () => {
    const { target } = await addTarget(alice);
    await setTargetEnabled(client, alice, target.id, false, noRequestMeta);
    expect(await notifyParties(client, alice, EVENT, FAST)).toEqual([]);
    expect(receiver.received).toHaveLength(0);
  });

  it("keeps each user's webhooks and deliveries to that user", async () => {
    const { target } = await addTarget(alice);
    receiver.script([410]);
    const [delivery] = await notifyParties(client, alice, EVENT, FAST);
    expect(await listTargets(client, bob)).toEqual([]);
    expect(await listDeliveries(client, bob)).toEqual([]);
    await expectRefused(deleteTarget(client, bob, target.id, noRequestMeta), "NOT_FOUND");
    await expectRefused(setTargetEnabled(client, bob, target.id, false, noRequestMeta), "NOT_FOUND");
    await expectRefused(retryDelivery(client, bob, delivery!.id, FAST), "NOT_FOUND");
    expect(await listTargets(client, alice)).toHaveLength(1);
  });
});

describe("public addresses only (SSRF)", () => {
  const PUBLIC_ONLY = { ...FAST, allowPrivateNetworks: false };

  it("refuses to save a webhook that points into a private network, saying why", async () => {
    await expect(createTarget(client, alice, { name: "Metadata", url: "http://169.254.169.254/latest" }, noRequestMeta, { allowPrivateNetworks: false })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/public addresses only: 169\.254\.169\.254 is a private or reserved address/),
    });
    await expect(createTarget(client, alice, { name: "Here", url: receiver.url.replace("127.0.0.1", "localhost") }, noRequestMeta, { allowPrivateNetworks: false })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/localhost resolves to .*, a private or reserved address/),
    });
    expect(await listTargets(client, alice)).toEqual([]);
  });

  it("never connects to a private address at send time, by IP or by a name that resolves to one, and does not retry", async () => {
    // saved while private networks were allowed (or a name that pointed elsewhere then)
    await addTarget(alice, "By IP");
    await createTarget(client, alice, { name: "By name", url: receiver.url.replace("127.0.0.1", "localhost") }, noRequestMeta);

    const deliveries = await notifyParties(client, alice, EVENT, PUBLIC_ONLY);
    expect(deliveries).toHaveLength(2);
    for (const delivery of deliveries) {
      expect(delivery).toMatchObject({ status: "FAILED", attempts: 1, lastStatusCode: null });
      expect(delivery.lastError).toMatch(/^not sent: .* is not a public address \(webhooks go to public addresses only\)$/);
    }
    expect(receiver.received).toHaveLength(0);

    // the same delivery goes through where private networks are allowed (the IP one: which of
    // 127.0.0.1 and ::1 "localhost" means first differs between machines)
    const byIp = deliveries.find((delivery) => delivery.targetName === "By IP")!;
    expect(await retryDelivery(client, alice, byIp.id, FAST)).toMatchObject({ status: "DELIVERED" });
    expect(receiver.received).toHaveLength(1);
  });
});

describe("the wizard's notify gate", () => {
  it("holds only once every webhook got the signed event; a failed one can be retried", async () => {
    await addTarget(alice, "Bookkeeping");
    const key = sim.createKey({ exchange: "okx", permissions: READ_ONLY, trades: { count: 5, markets: 1, seed: 1 } });
    const bindingId = await bindSimKey(client, alice, key);
    const { sessionId } = await startUnbind(client, alice, { bindingId, reason: "cleanup" }, noRequestMeta);
    const act = actor(client, { meta: noRequestMeta, adapterContext: { env: simEnv(sim.origin) }, notify: FAST });
    await act(alice, sessionId, { type: "decline_backup" });
    await act(alice, sessionId, { type: "goto", to: "impact" });
    await act(alice, sessionId, { type: "acknowledge_impact", botIds: [] });
    await act(alice, sessionId, { type: "goto", to: "security" });
    await act(alice, sessionId, { type: "acknowledge_security", items: checklistIds("OKX") });
    await reauth(client, alice);
    await act(alice, sessionId, { type: "goto", to: "notify" });

    receiver.script([410]);
    const sent = await act(alice, sessionId, { type: "send_notifications" });
    expect(sent.tone).toBe("warning");
    await expectRefused(act(alice, sessionId, { type: "goto", to: "login" }), "GATE_NOT_MET", "notify");
    const view = await getWizardView(client, alice, sessionId, TEST_AUTH_SESSION);
    expect(view.notify.deliveries).toMatchObject([{ targetName: "Bookkeeping", status: "FAILED", lastStatusCode: 410 }]);
    expect(view.gates.notify).toMatchObject({ satisfied: false, summary: "1 of 1 notification(s) not delivered." });

    const body = JSON.parse(receiver.received[0]!.body) as { data: Record<string, unknown> };
    expect(body.data).toMatchObject({ exchange: "okx", maskedKey: expect.stringContaining("…") });
    expect(receiver.received[0]!.body).not.toContain(key.secret);
    expect(receiver.received[0]!.body).not.toContain(key.apiKey);

    await expectRefused(act(bob, sessionId, { type: "retry_notification", deliveryId: view.notify.deliveries[0]!.id }), "NOT_FOUND");
    const retried = await act(alice, sessionId, { type: "retry_notification", deliveryId: view.notify.deliveries[0]!.id });
    expect(retried.tone).toBe("success");
    expect((await getWizardView(client, alice, sessionId, TEST_AUTH_SESSION)).gates.notify.satisfied).toBe(true);
    await act(alice, sessionId, { type: "goto", to: "login" });
  });
});
