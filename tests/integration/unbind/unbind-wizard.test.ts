// The unbind wizard's server side against a real Postgres and the exchange simulator over real
// HTTP (real ccxt): gates that cannot be skipped whatever is sent, sessions scoped to their
// user, and completion only on the exchange's own "this key does not exist".

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBackupDownload } from "@/lib/backups/download/open-backup-download";
import { runExport } from "@/lib/backups/export/run-export";
import { noRequestMeta } from "@/lib/auth/request-meta";
import { createPrismaClient, type Db } from "@/lib/db";
import { startExchangeSim, type ExchangeSim } from "@/lib/exchange-sim";
import type { SimExchange } from "@/lib/exchange-sim/types";
import { bindKey } from "@/lib/keys/bind-key";
import { loadCredentials } from "@/lib/keys/credentials";
import { botsToCarry, carryBotsOver } from "@/lib/unbind/carry-bots";
import { checklistIds } from "@/lib/unbind/security-checklist";
import { startUnbind } from "@/lib/unbind/unbind-session";
import { getWizardView } from "@/lib/unbind/wizard-view";
import { FORCE_ACKNOWLEDGEMENT } from "@/lib/unbind/schemas";
import { useTestEnv } from "../../support/app-env";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";
import { bindSimKey, createExportJob, DAY, READ_ONLY, simEnv } from "../backups/harness";
import { actor, createUserWithPassword, expectRefused, reauth, TEST_AUTH_SESSION, walkToConfirm } from "./harness";
import { FAR_BINANCE_LIMITS } from "../../support/far-limits";

let database: TestDatabase;
let client: Db;
let sim: ExchangeSim;
let owner: string;
let stranger: string;
let act: ReturnType<typeof actor>;

const names: Record<SimExchange, string> = { binance: "Binance", okx: "OKX", bybit: "Bybit", kucoin: "KuCoin", gate: "Gate", bitget: "Bitget", coinbase: "Coinbase", kraken: "Kraken" };

beforeAll(async () => {
  database = await createTestDatabase();
  useTestEnv(database.url);
  client = createPrismaClient(database.url);
  sim = await startExchangeSim({ port: 0, seed: 7, binance: FAR_BINANCE_LIMITS });
  const options: Parameters<typeof actor>[1] = { meta: noRequestMeta, adapterContext: { env: simEnv(sim.origin), enableRateLimit: false } };
  act = actor(client, options);
  owner = await createUserWithPassword(client);
  stranger = await createUserWithPassword(client);
});

afterAll(async () => {
  await sim?.close();
  await client?.$disconnect();
  await database?.drop();
});

async function bindNew(exchange: SimExchange, userId = owner, permissions: Record<string, boolean> = READ_ONLY) {
  // a complete account (ledger): its balances follow from its records, so a full backup reconciles
  const key = sim.createKey({ exchange, permissions, trades: { count: 40, markets: 3, seed: 3 }, ledger: {} });
  const bindingId = await bindSimKey(client, userId, key);
  return { key, bindingId };
}

async function start(bindingId: string, userId = owner, reason: "cleanup" | "transfer" = "cleanup") {
  return (await startUnbind(client, userId, { bindingId, reason, ...(reason === "transfer" ? { targetExchange: "okx" } : {}) }, noRequestMeta)).sessionId;
}

async function exportAndDownload(userId: string, bindingId: string, fullScan = true) {
  const result = await runExport(client, await createExportJob(client, userId, bindingId, fullScan), { env: simEnv(sim.origin), since: new Date(Date.now() - 400 * DAY) });
  expect(result.status).toBe("SUCCEEDED");
  const download = await openBackupDownload(client, userId, bindingId, "zip");
  await new Response(download.body).arrayBuffer();
}

describe("the backup gate and the coverage report", () => {
  it("refuses a backup whose coverage lists gaps until the user accepts them, and records it", async () => {
    const { bindingId } = await bindNew("binance");
    const sessionId = await start(bindingId);
    // a discovery export: the markets the balances and transfers do not point to are not checked
    await exportAndDownload(owner, bindingId, false);
    const job = await client.exportJob.findFirstOrThrow({ where: { bindingId }, orderBy: { createdAt: "desc" } });
    expect(job.coverage).toMatchObject({ complete: false, gaps: [expect.objectContaining({ kind: "not_checked", part: "spot" })] });
    expect(await client.backup.findFirstOrThrow({ where: { bindingId, format: "ZIP" } })).toMatchObject({ complete: false, gapsAcceptedAt: null });

    await expectRefused(act(owner, sessionId, { type: "goto", to: "impact" }), "GATE_NOT_MET", "backup");
    const view = await getWizardView(client, owner, sessionId, TEST_AUTH_SESSION);
    expect(view.gates.backup.summary).toMatch(/1 gap\(s\)/);
    expect(view.backup.gaps).toEqual([expect.stringMatching(/spot markets were not asked about/)]);

    await act(owner, sessionId, { type: "accept_backup_gaps" });
    await act(owner, sessionId, { type: "goto", to: "impact" });
    const accepted = await client.auditEvent.findFirstOrThrow({ where: { bindingId, type: "unbind.gate_satisfied" }, orderBy: { id: "desc" } });
    expect(accepted.data).toMatchObject({ gate: "backup", gapsAccepted: true, gaps: [expect.stringMatching(/not asked about/)] });
  });

  it("takes a full-scan backup as complete, and has nothing to accept", async () => {
    const { bindingId } = await bindNew("binance");
    const sessionId = await start(bindingId);
    await exportAndDownload(owner, bindingId, true);
    const job = await client.exportJob.findFirstOrThrow({ where: { bindingId }, orderBy: { createdAt: "desc" } });
    expect(job.coverage).toMatchObject({ complete: true, fullScan: true, gaps: [] });
    await expectRefused(act(owner, sessionId, { type: "accept_backup_gaps" }), "CONFLICT");
    await act(owner, sessionId, { type: "goto", to: "impact" });
  });
});

describe("the Binance journey", () => {
  it("cannot skip a gate, refuses while the key still works, and completes once Binance says it is gone", async () => {
    const { key, bindingId } = await bindNew("binance");
    const bot = await client.bot.create({ data: { userId: owner, bindingId, name: "Grid BTC", strategy: "grid" }, select: { id: true } });
    const sessionId = await start(bindingId, owner, "transfer");
    expect(await start(bindingId)).toBe(sessionId);

    // backup: nothing exported, nothing downloaded
    await expectRefused(act(owner, sessionId, { type: "goto", to: "impact" }), "GATE_NOT_MET", "backup");
    await exportAndDownload(owner, bindingId);
    await act(owner, sessionId, { type: "goto", to: "impact" });

    // impact: a running bot neither stopped nor acknowledged
    await act(owner, sessionId, { type: "acknowledge_impact", botIds: [] });
    await expectRefused(act(owner, sessionId, { type: "goto", to: "security" }), "GATE_NOT_MET", "impact");
    await act(owner, sessionId, { type: "stop_bots", botIds: [bot.id] });
    expect((await client.bot.findUniqueOrThrow({ where: { id: bot.id } })).status).toBe("STOPPED");
    await act(owner, sessionId, { type: "goto", to: "security" });

    // security: checklist, then a real re-authentication
    await expectRefused(act(owner, sessionId, { type: "goto", to: "notify" }), "GATE_NOT_MET", "security");
    await expectRefused(act(owner, sessionId, { type: "acknowledge_security", items: ["exchange-login"] }), "BAD_REQUEST");
    await act(owner, sessionId, { type: "acknowledge_security", items: checklistIds("Binance") });
    await expectRefused(act(owner, sessionId, { type: "goto", to: "notify" }), "GATE_NOT_MET", "security");
    await reauth(client, owner);
    await act(owner, sessionId, { type: "goto", to: "notify" });

    // notify
    await expectRefused(act(owner, sessionId, { type: "goto", to: "login" }), "GATE_NOT_MET", "notify");
    await expectRefused(act(owner, sessionId, { type: "send_notifications" }), "CONFLICT");
    await act(owner, sessionId, { type: "no_notification_needed" });

    // the exchange steps, in order only
    await act(owner, sessionId, { type: "goto", to: "login" });
    await expectRefused(act(owner, sessionId, { type: "goto", to: "delete" }), "CONFLICT");
    await expectRefused(act(owner, sessionId, { type: "confirm" }), "CONFLICT");
    for (const to of ["open-api-management", "find-key-list", "locate-key", "delete", "verify", "confirm"]) await act(owner, sessionId, { type: "goto", to });

    // the key still works: no completion, the secret is kept
    const stillValid = await act(owner, sessionId, { type: "confirm" });
    expect(stillValid.exchangeAnswer).toBe("valid");
    expect(stillValid.message).toMatch(/still accepts this key/);
    expect(await loadCredentials(client, owner, bindingId)).toMatchObject({ apiKey: key.apiKey, secret: key.secret });
    expect((await getWizardView(client, owner, sessionId, TEST_AUTH_SESSION)).status).toBe("ACTIVE");

    // an alert the review raised of the key, still open when it goes
    const alert = await client.alert.create({
      data: { userId: owner, bindingId, kind: "expiring_soon", dedupeKey: `test-${bindingId}`, title: "Key expires soon", message: "It expires in 3 days.", advice: "Rotate it." },
      select: { id: true },
    });

    // deleted on the exchange (between the delete step and the confirmation)
    sim.deleteKey("binance", key.apiKey);
    const gone = await act(owner, sessionId, { type: "confirm" });
    expect(gone).toMatchObject({ exchangeAnswer: "revoked", tone: "success" });
    // an unbound key's alerts ask nothing more of the user
    expect((await client.alert.findUniqueOrThrow({ where: { id: alert.id } })).dismissedAt).not.toBeNull();

    const binding = await client.exchangeBinding.findUniqueOrThrow({ where: { id: bindingId }, omit: { apiKeyEnc: false, secretEnc: false, passphraseEnc: false } });
    expect(binding).toMatchObject({ status: "UNBOUND", apiKeyEnc: "shredded", secretEnc: "shredded", passphraseEnc: null, keyFingerprint: null });
    expect(binding.unboundAt).not.toBeNull();
    expect(await client.bot.findUniqueOrThrow({ where: { id: bot.id } })).toMatchObject({ bindingId: null, status: "STOPPED" });
    await expectRefused(loadCredentials(client, owner, bindingId), "NOT_FOUND");

    const view = await getWizardView(client, owner, sessionId, TEST_AUTH_SESSION);
    expect(view).toMatchObject({ status: "COMPLETED", step: "review", detachedBotIds: [bot.id], purpose: { reason: "transfer", targetExchange: "okx" } });
    await expectRefused(act(owner, sessionId, { type: "cancel" }), "CONFLICT");
    await expectRefused(act(owner, sessionId, { type: "goto", to: "backup" }), "CONFLICT");
    await act(owner, sessionId, { type: "finish_review" });
    expect((await getWizardView(client, owner, sessionId, TEST_AUTH_SESSION)).step).toBe("done");

    const events = await client.auditEvent.findMany({ where: { bindingId }, orderBy: { id: "asc" }, select: { type: true, data: true } });
    const types = events.map((e) => e.type);
    for (const type of ["unbind.started", "unbind.gate_satisfied", "unbind.bots_stopped", "unbind.step", "unbind.confirm_attempted", "key.unbound", "unbind.completed"]) {
      expect(types, type).toContain(type);
    }
    expect(events.find((e) => e.type === "key.unbound")?.data).toMatchObject({ dismissedAlerts: 1 });
    expect(events.filter((e) => e.type === "unbind.confirm_attempted").map((e) => (e.data as { outcome: string }).outcome)).toEqual(["valid", "revoked"]);
    expect(JSON.stringify(events)).not.toContain(key.secret);

    // moving to OKX: a new key there takes the detached bot over, once, and only for its owner
    expect(await botsToCarry(client, stranger, sessionId)).toBeNull();
    expect((await botsToCarry(client, owner, sessionId))?.bots).toEqual([{ id: bot.id, name: "Grid BTC" }]);
    const okxKey = sim.createKey({ exchange: "okx", permissions: READ_ONLY, ipWhitelist: ["127.0.0.1"] });
    const { binding: okxBinding } = await bindKey(client, owner, { exchange: "okx", label: "OKX main", apiKey: okxKey.apiKey, secret: okxKey.secret, passphrase: okxKey.passphrase }, noRequestMeta, { env: simEnv(sim.origin) });
    expect(await carryBotsOver(client, owner, sessionId, okxBinding.id, noRequestMeta)).toEqual(["Grid BTC"]);
    expect(await client.bot.findUniqueOrThrow({ where: { id: bot.id } })).toMatchObject({ bindingId: okxBinding.id, status: "STOPPED" });
    expect(await carryBotsOver(client, owner, sessionId, okxBinding.id, noRequestMeta)).toEqual([]);
  });
});

describe("sessions", () => {
  it("belong to their user: another user gets NOT_FOUND for every action, the view and the key", async () => {
    const { bindingId } = await bindNew("binance");
    const sessionId = await start(bindingId);
    for (const action of [{ type: "goto", to: "impact" }, { type: "cancel" }, { type: "confirm" }, { type: "decline_backup" }, { type: "no_notification_needed" }]) {
      await expectRefused(act(stranger, sessionId, action), "NOT_FOUND");
    }
    await expectRefused(getWizardView(client, stranger, sessionId, TEST_AUTH_SESSION), "NOT_FOUND");
    await expectRefused(startUnbind(client, stranger, { bindingId, reason: "cleanup" }, noRequestMeta), "NOT_FOUND");
    const session = await client.unbindSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(session).toMatchObject({ status: "ACTIVE", step: "backup", evidence: expect.not.objectContaining({ backup: expect.anything() }) });
  });

  it("one active session per key, even when starts race", async () => {
    const { bindingId } = await bindNew("okx");
    const ids = await Promise.all(Array.from({ length: 6 }, () => start(bindingId)));
    expect(new Set(ids).size).toBe(1);
    expect(await client.unbindSession.count({ where: { bindingId, status: "ACTIVE" } })).toBe(1);
  });

  it("cancelling keeps the key bound and usable; starting again begins afresh", async () => {
    const { key, bindingId } = await bindNew("bybit");
    const first = await start(bindingId);
    await act(owner, first, { type: "decline_backup" });
    await act(owner, first, { type: "goto", to: "impact" });
    await act(owner, first, { type: "cancel" });
    await expectRefused(act(owner, first, { type: "goto", to: "security" }), "CONFLICT");
    expect(await loadCredentials(client, owner, bindingId)).toMatchObject({ apiKey: key.apiKey });
    const second = await start(bindingId);
    expect(second).not.toBe(first);
    expect((await getWizardView(client, owner, second, TEST_AUTH_SESSION)).step).toBe("backup");
  });

  it("the security gate takes the re-authentication of the browser that acts, never of another browser", async () => {
    const { bindingId } = await bindNew("okx");
    const sessionId = await start(bindingId);
    const inBrowserB = actor(client, { meta: noRequestMeta, authSessionId: "browser-b" });
    await act(owner, sessionId, { type: "decline_backup" });
    await act(owner, sessionId, { type: "goto", to: "impact" });
    await act(owner, sessionId, { type: "acknowledge_impact", botIds: [] });
    await act(owner, sessionId, { type: "goto", to: "security" });
    await act(owner, sessionId, { type: "acknowledge_security", items: checklistIds("OKX") });
    await reauth(client, owner, "browser-a");

    await expectRefused(inBrowserB(owner, sessionId, { type: "goto", to: "notify" }), "GATE_NOT_MET", "security");
    expect((await getWizardView(client, owner, sessionId, "browser-b")).reauthValidUntil).toBeNull();
    expect((await getWizardView(client, owner, sessionId, "browser-a")).reauthValidUntil).not.toBeNull();
    await actor(client, { meta: noRequestMeta, authSessionId: "browser-a" })(owner, sessionId, { type: "goto", to: "notify" });
    expect((await client.unbindSession.findUniqueOrThrow({ where: { id: sessionId } })).step).toBe("notify");
  });
});

describe("asking each exchange whether the key is gone", () => {
  for (const exchange of ["binance", "okx", "bybit", "kucoin", "gate", "bitget", "kraken"] as const) {
    it(`${exchange}: valid, then unreachable while it is down, then revoked once deleted`, async () => {
      const { key, bindingId } = await bindNew(exchange);
      const sessionId = await start(bindingId);
      await walkToConfirm(client, act, owner, sessionId, names[exchange]);

      expect((await act(owner, sessionId, { type: "confirm" })).exchangeAnswer).toBe("valid");
      sim.setFault({ exchange, kind: "error", status: 503 });
      try {
        expect((await act(owner, sessionId, { type: "confirm" })).exchangeAnswer).toBe("unreachable");
      } finally {
        sim.clearFaults();
      }
      sim.deleteKey(exchange, key.apiKey);
      expect((await act(owner, sessionId, { type: "confirm" })).exchangeAnswer).toBe("revoked");
      expect((await client.exchangeBinding.findUniqueOrThrow({ where: { id: bindingId } })).status).toBe("UNBOUND");
    });
  }

  it("binance: an IP restriction that shuts MyITS out (-2015) is ambiguous, never success", async () => {
    const { key, bindingId } = await bindNew("binance");
    const sessionId = await start(bindingId);
    await walkToConfirm(client, act, owner, sessionId, "Binance");
    sim.restrictKey("binance", key.apiKey, { ipWhitelist: ["203.0.113.7"] });
    const answer = await act(owner, sessionId, { type: "confirm" });
    expect(answer.exchangeAnswer).toBe("ambiguous");
    expect(answer.message).toMatch(/without saying it is gone/);
    expect((await client.unbindSession.findUniqueOrThrow({ where: { id: sessionId } })).status).toBe("ACTIVE");
  });

  it("okx: an IP restriction proves the key still exists", async () => {
    const { key, bindingId } = await bindNew("okx");
    const sessionId = await start(bindingId);
    await walkToConfirm(client, act, owner, sessionId, "OKX");
    sim.restrictKey("okx", key.apiKey, { ipWhitelist: ["203.0.113.7"] });
    expect((await act(owner, sessionId, { type: "confirm" })).exchangeAnswer).toBe("valid");
  });

  // Issue 12: the generic adapter called these "revoked" and shredded a secret that still traded.
  it.each(["kucoin", "gate", "bitget", "kraken"] as const)("%s: an IP restriction or a removed permission proves the key still exists", async (exchange) => {
    const { key, bindingId } = await bindNew(exchange);
    const sessionId = await start(bindingId);
    await walkToConfirm(client, act, owner, sessionId, names[exchange]);
    sim.restrictKey(exchange, key.apiKey, { ipWhitelist: ["203.0.113.7"] });
    const answer = await act(owner, sessionId, { type: "confirm" });
    expect(answer.exchangeAnswer).toBe("valid");
    expect(answer.message).toMatch(new RegExp(`${names[exchange]} still knows this key`));
    sim.restrictKey(exchange, key.apiKey, { ipWhitelist: [], permissions: { read: false } });
    expect((await act(owner, sessionId, { type: "confirm" })).exchangeAnswer).toBe("valid");
    const session = await client.unbindSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(session.status).toBe("ACTIVE");
    expect((await client.exchangeBinding.findUniqueOrThrow({ where: { id: bindingId } })).status).not.toBe("UNBOUND");
  });

  it("force-unbind: only after an unreachable answer, with a fresh re-authentication and the typed acknowledgement", async () => {
    const { bindingId } = await bindNew("okx");
    const sessionId = await start(bindingId);
    await walkToConfirm(client, act, owner, sessionId, "OKX");
    await expectRefused(act(owner, sessionId, { type: "force_unbind", acknowledgement: FORCE_ACKNOWLEDGEMENT }), "CONFLICT");
    expect(() => act(owner, sessionId, { type: "force_unbind", acknowledgement: "yes" })).toThrow(/Type exactly/);

    sim.setFault({ exchange: "okx", kind: "error", status: 502 });
    try {
      expect((await act(owner, sessionId, { type: "confirm" })).exchangeAnswer).toBe("unreachable");
    } finally {
      sim.clearFaults();
    }
    await client.reauthGrant.updateMany({ where: { userId: owner }, data: { grantedAt: new Date(Date.now() - 6 * 60_000) } });
    await expectRefused(act(owner, sessionId, { type: "force_unbind", acknowledgement: FORCE_ACKNOWLEDGEMENT }), "GATE_NOT_MET", "security");
    await reauth(client, owner);
    const forced = await act(owner, sessionId, { type: "force_unbind", acknowledgement: FORCE_ACKNOWLEDGEMENT });
    expect(forced.tone).toBe("warning");
    expect(await client.exchangeBinding.findUniqueOrThrow({ where: { id: bindingId } })).toMatchObject({ status: "UNBOUND", keyFingerprint: null });
    const forcedEvent = await client.auditEvent.findFirst({ where: { bindingId, type: "unbind.forced" } });
    expect(forcedEvent?.data).toMatchObject({ acknowledgement: FORCE_ACKNOWLEDGEMENT });
  });
});

describe("Bybit: revoke from here", () => {
  it("is offered to a key with the transfer permission, deletes it on Bybit and completes", async () => {
    const { key, bindingId } = await bindNew("bybit", owner, { ...READ_ONLY, transfer: true });
    await client.exchangeBinding.update({ where: { id: bindingId }, data: { permissions: { normalized: { ...READ_ONLY, transfer: true, other: [] }, known: true } } });
    const sessionId = await start(bindingId);
    await walkToConfirm(client, act, owner, sessionId, "Bybit");
    await act(owner, sessionId, { type: "goto", to: "delete" });
    expect((await getWizardView(client, owner, sessionId, TEST_AUTH_SESSION)).canRevokeFromHere).toBe(true);
    await reauth(client, owner);
    const result = await act(owner, sessionId, { type: "revoke_from_here" });
    expect(result.exchangeAnswer).toBe("revoked");
    expect(sim.listKeys("bybit").some((k) => k.apiKey === key.apiKey)).toBe(false);
    expect((await client.exchangeBinding.findUniqueOrThrow({ where: { id: bindingId } })).status).toBe("UNBOUND");
  });

  it("is not offered, and refused, for a read-only key", async () => {
    const { key, bindingId } = await bindNew("bybit");
    await client.exchangeBinding.update({ where: { id: bindingId }, data: { permissions: { normalized: { ...READ_ONLY, other: [] }, known: true } } });
    const sessionId = await start(bindingId);
    await walkToConfirm(client, act, owner, sessionId, "Bybit");
    await act(owner, sessionId, { type: "goto", to: "delete" });
    expect((await getWizardView(client, owner, sessionId, TEST_AUTH_SESSION)).canRevokeFromHere).toBe(false);
    await reauth(client, owner);
    const result = await act(owner, sessionId, { type: "revoke_from_here" });
    expect(result.tone).toBe("warning");
    expect(sim.listKeys("bybit").some((k) => k.apiKey === key.apiKey)).toBe(true);
    expect((await client.unbindSession.findUniqueOrThrow({ where: { id: sessionId } })).step).toBe("delete");
  });
});
