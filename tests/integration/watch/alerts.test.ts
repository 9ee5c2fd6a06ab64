// A change on the exchange becomes exactly one alert: a key whose permission changes in the
// simulator (withdrawals switched on) raises one alert in the dashboard, one signed webhook
// and one email (received by a real SMTP server), all audited; the next checks, scheduled or
// "check now", raise none. Checks go through the real live-facts path and ccxt against the
// simulator; the schedule's tick is the one the pg-boss job runs.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noRequestMeta } from "@/lib/auth/request-meta";
import { countOpenAlerts, dismissAlert, listOpenAlerts } from "@/lib/alerts/list-alerts";
import { raiseAlert } from "@/lib/alerts/raise-alert";
import { ALERT_EVENT_TYPE } from "@/lib/alerts/deliver-alert";
import { createPrismaClient, type Db } from "@/lib/db";
import { startExchangeSim, type ExchangeSim } from "@/lib/exchange-sim";
import { bindKey } from "@/lib/keys/bind-key";
import { checkKeyLive } from "@/lib/keys/live-facts";
import { createTarget } from "@/lib/notify/notification-targets";
import { runWatchTick } from "@/lib/watch/run-watch-tick";
import { reviewKeys } from "@/lib/watch/review-keys";
import { useTestEnv } from "../../support/app-env";
import { startSmtpSink, type SmtpSink } from "../../support/smtp-sink";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";
import { createUser, READ_ONLY, simEnv } from "../backups/harness";
import { startReceiver, type Receiver } from "../notify/receiver";

const PERIOD_MS = 24 * 3_600_000;

let database: TestDatabase;
let client: Db;
let sim: ExchangeSim;
let smtp: SmtpSink;
let receiver: Receiver;
let context: { env: Record<string, string>; enableRateLimit: boolean };

beforeAll(async () => {
  database = await createTestDatabase();
  smtp = await startSmtpSink();
  // before anything reads lib/env (once per test file)
  process.env.SMTP_URL = smtp.url;
  process.env.MAIL_FROM = "MyITS test <alerts@it.test>";
  useTestEnv(database.url);
  client = createPrismaClient(database.url);
  sim = await startExchangeSim({ port: 0, seed: 13 });
  receiver = await startReceiver();
  context = { env: simEnv(sim.origin), enableRateLimit: false };
});

afterAll(async () => {
  await receiver?.close();
  await smtp?.close();
  await sim?.close();
  await client?.$disconnect();
  await database?.drop();
});

/** Makes the key due now, so the next tick checks it. */
const makeDue = (bindingId: string) => client.keyWatchSlot.update({ where: { bindingId }, data: { dueAt: new Date(Date.now() - 1000) } });

describe("alerts on a change that matters", () => {
  it("withdrawals switched on at the exchange: one alert in the dashboard, one signed webhook, one email; later checks raise none", async () => {
    const userId = await createUser(client);
    const user = await client.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
    const { signingSecret } = await createTarget(client, userId, { name: "ops", url: receiver.url }, noRequestMeta, { allowPrivateNetworks: true });
    receiver.setSecret(signingSecret);
    const key = sim.createKey({ exchange: "binance", label: "watched", permissions: READ_ONLY, ipWhitelist: ["127.0.0.1"] });
    const { binding } = await bindKey(client, userId, { exchange: "binance", label: "Watched key", apiKey: key.apiKey, secret: key.secret }, noRequestMeta, context);

    // the scheduled check of a healthy key: history grows, nothing to alert
    await runWatchTick(client, { periodMs: PERIOD_MS, context });
    await makeDue(binding.id);
    const first = await runWatchTick(client, { periodMs: PERIOD_MS, context });
    expect(first).toMatchObject({ checked: 1, failed: 0 });
    expect(await client.alert.count({ where: { userId } })).toBe(0);

    sim.restrictKey("binance", key.apiKey, { permissions: { withdraw: true } });
    await checkKeyLive(client, userId, binding.id, { force: true, source: "manual", deliverAlerts: true, context });

    const alerts = await listOpenAlerts(client, userId);
    expect(alerts).toEqual([expect.objectContaining({ kind: "withdraw_gained", bindingId: binding.id, title: "Withdrawal permission turned on" })]);
    expect(alerts[0]!.advice).toMatch(/Turn the permission off/);
    expect(await countOpenAlerts(client, userId)).toBe(1);

    expect(receiver.received).toHaveLength(1);
    const hook = receiver.received[0]!;
    expect(hook.signatureOk).toBe(true);
    expect(hook.headers["myits-event-type"]).toBe(ALERT_EVENT_TYPE);
    const event = JSON.parse(hook.body) as { type: string; data: { alertId: string; kind: string; key: { label: string; maskedKey: string } } };
    expect(event).toMatchObject({ type: ALERT_EVENT_TYPE, data: { alertId: alerts[0]!.id, kind: "withdraw_gained", key: { label: "Watched key" } } });
    expect(hook.body).not.toContain(key.apiKey);
    expect(hook.body).not.toContain(key.secret);

    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.to).toEqual([user.email]);
    expect(smtp.mails[0]!.from).toBe("alerts@it.test");
    expect(smtp.mails[0]!.raw).toMatch(/Subject: \[MyITS\] Withdrawal permission turned on: Watched key/);
    expect(smtp.mails[0]!.raw).not.toContain(key.secret);

    // a second check of each kind: the change is already known
    await checkKeyLive(client, userId, binding.id, { force: true, source: "manual", deliverAlerts: true, context });
    await makeDue(binding.id);
    expect(await runWatchTick(client, { periodMs: PERIOD_MS, context })).toMatchObject({ checked: 1 });
    await checkKeyLive(client, userId, binding.id, { force: true, context });
    expect(await client.alert.count({ where: { userId } })).toBe(1);
    expect(receiver.received).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);

    const events = await client.auditEvent.findMany({ where: { userId, type: { startsWith: "alert." } }, select: { type: true, data: true } });
    expect(events.map((e) => e.type).sort()).toEqual(["alert.emailed", "alert.raised"]);
    expect(events.find((e) => e.type === "alert.raised")!.data).toMatchObject({ alertId: alerts[0]!.id, kind: "withdraw_gained" });

    // every kept answer is in the key's history, and the review page shows the change
    const history = await client.keyCheck.findMany({ where: { bindingId: binding.id }, orderBy: { checkedAt: "asc" }, select: { source: true } });
    // (the page view's answer raised nothing and is not kept)
    expect(history.map((h) => h.source)).toEqual(["bind", "scheduled", "manual", "manual", "scheduled"]);
    const [reviewed] = await reviewKeys(client, userId);
    expect(reviewed!.reasons.map((r) => r.code)).toEqual(["permissions", "last_change"]);
    expect(reviewed!.timeline.flatMap((entry) => entry.changes)).toEqual(["withdrawal permission gained"]);

    // dismissed: gone from the badge and the list, audited
    await dismissAlert(client, userId, alerts[0]!.id, noRequestMeta);
    expect(await countOpenAlerts(client, userId)).toBe(0);
    expect(await client.auditEvent.count({ where: { userId, type: "alert.dismissed" } })).toBe(1);
    await expect(dismissAlert(client, await createUser(client), alerts[0]!.id, noRequestMeta)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("raiseAlert, for other code (the post-unbind watch): one alert per change, delivered once", async () => {
    const userId = await createUser(client);
    const key = sim.createKey({ exchange: "binance", label: "gone?", permissions: READ_ONLY, ipWhitelist: ["127.0.0.1"] });
    const { binding } = await bindKey(client, userId, { exchange: "binance", label: "Unbound key", apiKey: key.apiKey, secret: key.secret }, noRequestMeta, context);
    const mailsBefore = smtp.mails.length;
    const first = await raiseAlert(client, { userId, bindingId: binding.id, kind: "still_answers_after_unbind", change: "session-1" });
    const again = await raiseAlert(client, { userId, bindingId: binding.id, kind: "still_answers_after_unbind", change: "session-1" });
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    const [alert] = await listOpenAlerts(client, userId);
    expect(alert).toMatchObject({ kind: "still_answers_after_unbind", title: "Unbound key still answers", message: "Unbound key still answers: “Unbound key” (Binance)." });
    expect(smtp.mails.length - mailsBefore).toBe(1);
    expect(await client.auditEvent.count({ where: { userId, type: "alert.raised" } })).toBe(1);
  });
});
