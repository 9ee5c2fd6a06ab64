// An exchange without a full adapter cannot prove a deletion: the wizard completes there only on
// the user's re-authenticated, typed acknowledgement (audited), keeps the secret sealed, and the
// week's watch job re-checks the key, reports one that still answers once, and shreds the secret
// when the week ends. The exchange is ccxt's `myokx` (MyOKX, EEA): MyITS has no full adapter for
// it, and it speaks OKX's API, which the simulator serves (real HTTP, real ccxt).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noRequestMeta } from "@/lib/auth/request-meta";
import { createPrismaClient, type Db } from "@/lib/db";
import { startExchangeSim, type ExchangeSim, type SimKey } from "@/lib/exchange-sim";
import { getAdapter } from "@/lib/exchanges/registry";
import { bindKey } from "@/lib/keys/bind-key";
import { loadWatchedCredentials } from "@/lib/keys/credentials";
import { SHREDDED } from "@/lib/unbind/destroy-binding";
import { UNPROVABLE_ACKNOWLEDGEMENT } from "@/lib/unbind/schemas";
import { startUnbind } from "@/lib/unbind/unbind-session";
import { getBoss, stopBoss } from "@/lib/jobs/boss";
import { CHECK_INTERVAL_MS, registerUnbindWatch, runUnbindWatch, UNBIND_WATCH_QUEUE, WATCH_CRON, WATCH_MS, type StillAnswering } from "@/lib/unbind/watch-unprovable";
import { getWizardView } from "@/lib/unbind/wizard-view";
import { createTarget } from "@/lib/notify/notification-targets";
import { startReceiver } from "../notify/receiver";
import { useTestEnv } from "../../support/app-env";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";
import { READ_ONLY, simEnv } from "../backups/harness";
import { actor, createUserWithPassword, expectRefused, reauth, TEST_AUTH_SESSION, walkToConfirm } from "./harness";

const EXCHANGE = "myokx";

let database: TestDatabase;
let client: Db;
let sim: ExchangeSim;
let owner: string;
let env: Record<string, string>;
let act: ReturnType<typeof actor>;

beforeAll(async () => {
  database = await createTestDatabase();
  useTestEnv(database.url);
  client = createPrismaClient(database.url);
  sim = await startExchangeSim({ port: 0, seed: 12 });
  env = simEnv(sim.origin, { EXCHANGE_ORIGIN_MYOKX: sim.origin });
  act = actor(client, { meta: noRequestMeta, adapterContext: { env, enableRateLimit: false } });
  owner = await createUserWithPassword(client);
});

afterAll(async () => {
  await sim?.close();
  await client?.$disconnect();
  await database?.drop();
});

async function bindGeneric(): Promise<{ key: SimKey; bindingId: string }> {
  // an OKX key of the simulator, bound as MyOKX: the generic adapter through ccxt's myokx class
  const key = sim.createKey({ exchange: "okx", permissions: READ_ONLY });
  const { binding } = await bindKey(
    client,
    owner,
    { exchange: EXCHANGE, label: `MyOKX ${key.apiKey.slice(0, 6)}`, apiKey: key.apiKey, secret: key.secret, passphrase: key.passphrase! },
    noRequestMeta,
    { env, enableRateLimit: false },
  );
  return { key, bindingId: binding.id };
}

async function toConfirm(bindingId: string): Promise<string> {
  const { sessionId } = await startUnbind(client, owner, { bindingId, reason: "cleanup" }, noRequestMeta);
  await walkToConfirm(client, act, owner, sessionId, getAdapter(EXCHANGE).displayName);
  return sessionId;
}

/** The watch job checks every user's watched keys: leave only this one open, so its counts are this key's. */
const watchOnly = (bindingId: string) =>
  client.unbindWatch.updateMany({ where: { bindingId: { not: bindingId }, endedAt: null }, data: { endedAt: new Date(), endReason: "expired" } });

const staleReauth = () => client.reauthGrant.updateMany({ where: { userId: owner }, data: { grantedAt: new Date(Date.now() - 6 * 60_000) } });

describe("an exchange without a full adapter", () => {
  it("never calls a refused key revoked, and says so in the wizard", async () => {
    expect(getAdapter(EXCHANGE).full).toBe(false);
    const { key, bindingId } = await bindGeneric();
    const sessionId = await toConfirm(bindingId);
    expect((await getWizardView(client, owner, sessionId, TEST_AUTH_SESSION)).canProveDeletion).toBe(false);

    // the key restricted to another IP (KuCoin's case): refused, and not "gone"
    sim.restrictKey("okx", key.apiKey, { ipWhitelist: ["203.0.113.7"] });
    const restricted = await act(owner, sessionId, { type: "confirm" });
    expect(restricted.exchangeAnswer).toBe("ambiguous");
    expect(restricted.message).toMatch(/cannot prove/);
    sim.deleteKey("okx", key.apiKey);
    expect((await act(owner, sessionId, { type: "confirm" })).exchangeAnswer).toBe("ambiguous");
    const session = await client.unbindSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(session.status).toBe("ACTIVE");
    expect((await client.exchangeBinding.findUniqueOrThrow({ where: { id: bindingId } })).status).toBe("ACTIVE");
  });

  it("completes only with a fresh re-authentication and the typed acknowledgement, audited, the secret kept sealed for the watch", async () => {
    const { key, bindingId } = await bindGeneric();
    const sessionId = await toConfirm(bindingId);
    const acknowledge = () => act(owner, sessionId, { type: "acknowledge_unprovable", acknowledgement: UNPROVABLE_ACKNOWLEDGEMENT });

    // not before MyITS asked the exchange, and not while the key still works there
    await expectRefused(acknowledge(), "CONFLICT");
    expect((await act(owner, sessionId, { type: "confirm" })).exchangeAnswer).toBe("valid");
    await expectRefused(acknowledge(), "CONFLICT");

    sim.deleteKey("okx", key.apiKey);
    expect((await act(owner, sessionId, { type: "confirm" })).exchangeAnswer).toBe("ambiguous");
    // without the acknowledgement: refused at the boundary, whatever else holds
    expect(() => act(owner, sessionId, { type: "acknowledge_unprovable" })).toThrow();
    expect(() => act(owner, sessionId, { type: "acknowledge_unprovable", acknowledgement: "ok" })).toThrow(/Type exactly/);
    // without a fresh re-authentication
    await staleReauth();
    await expectRefused(acknowledge(), "GATE_NOT_MET", "security");
    expect((await client.unbindSession.findUniqueOrThrow({ where: { id: sessionId } })).status).toBe("ACTIVE");

    await reauth(client, owner);
    const done = await acknowledge();
    expect(done.tone).toBe("warning");
    expect(done.message).toMatch(/cannot prove/);
    expect(await client.unbindSession.findUniqueOrThrow({ where: { id: sessionId } })).toMatchObject({ status: "COMPLETED", step: "review" });
    const binding = await client.exchangeBinding.findUniqueOrThrow({ where: { id: bindingId }, omit: { secretEnc: false } });
    expect(binding).toMatchObject({ status: "UNBOUND", keyFingerprint: null });
    expect(binding.secretEnc).not.toBe(SHREDDED);
    const watch = await client.unbindWatch.findUniqueOrThrow({ where: { bindingId } });
    expect(watch).toMatchObject({ sessionId, exchange: EXCHANGE, endedAt: null });
    expect(watch.endsAt.getTime() - watch.startedAt.getTime()).toBe(WATCH_MS);
    const event = await client.auditEvent.findFirstOrThrow({ where: { bindingId, type: "unbind.acknowledged_unprovable" } });
    expect(event.data).toMatchObject({ sessionId, acknowledgement: UNPROVABLE_ACKNOWLEDGEMENT, watchUntil: watch.endsAt.toISOString() });
    expect(await client.auditEvent.count({ where: { bindingId, type: "key.unbound" } })).toBe(1);
    expect((await getWizardView(client, owner, sessionId, TEST_AUTH_SESSION)).watchUntil).toBe(watch.endsAt.toISOString());
  });
});

describe("a full adapter whose exchange cannot prove a deletion (Coinbase)", () => {
  it("binds the PEM key with its IP allowlist unreported, and completes the unbind only on the user's word", async () => {
    const key = sim.createKey({ exchange: "coinbase", permissions: READ_ONLY, ipWhitelist: ["127.0.0.1"] });
    const bound = await bindKey(client, owner, { exchange: "coinbase", label: "Coinbase bot", apiKey: key.apiKey, secret: key.secret }, noRequestMeta, { env, enableRateLimit: false });
    expect(bound.warnings.join(" ")).toMatch(/does not report a key's IP allowlist/);
    const bindingId = bound.binding.id;
    // unknown, not "no whitelist"
    expect(await client.exchangeBinding.findUniqueOrThrow({ where: { id: bindingId } })).toMatchObject({ ipRestricted: null, keyExpiresAt: null });

    const { sessionId } = await startUnbind(client, owner, { bindingId, reason: "cleanup" }, noRequestMeta);
    await walkToConfirm(client, act, owner, sessionId, getAdapter("coinbase").displayName);
    const view = await getWizardView(client, owner, sessionId, TEST_AUTH_SESSION);
    expect(view).toMatchObject({ canProveDeletion: false, unprovableBecause: expect.stringMatching(/401 Unauthorized/) });
    expect((await act(owner, sessionId, { type: "confirm" })).exchangeAnswer).toBe("valid");

    sim.deleteKey("coinbase", key.apiKey);
    const refused = await act(owner, sessionId, { type: "confirm" });
    expect(refused.exchangeAnswer).toBe("ambiguous");
    expect(refused.message).toMatch(/cannot prove that it is deleted: Coinbase answers a deleted key with the same/);
    expect((await client.exchangeBinding.findUniqueOrThrow({ where: { id: bindingId } })).status).toBe("ACTIVE");

    await reauth(client, owner);
    await act(owner, sessionId, { type: "acknowledge_unprovable", acknowledgement: UNPROVABLE_ACKNOWLEDGEMENT });
    expect(await client.unbindSession.findUniqueOrThrow({ where: { id: sessionId } })).toMatchObject({ status: "COMPLETED" });
    expect(await client.unbindWatch.findUniqueOrThrow({ where: { bindingId } })).toMatchObject({ sessionId, exchange: "coinbase", endedAt: null });
  });
});

describe("the watch week", () => {
  it("finds a key that still answers, reports it once, and shreds the secret when the week ends", async () => {
    const { key, bindingId } = await bindGeneric();
    const sessionId = await toConfirm(bindingId);
    // the user restricted the key instead of deleting it: refused now, but it still exists
    sim.restrictKey("okx", key.apiKey, { ipWhitelist: ["203.0.113.7"] });
    expect((await act(owner, sessionId, { type: "confirm" })).exchangeAnswer).toBe("ambiguous");
    await reauth(client, owner);
    await act(owner, sessionId, { type: "acknowledge_unprovable", acknowledgement: UNPROVABLE_ACKNOWLEDGEMENT });
    const watch = await client.unbindWatch.findUniqueOrThrow({ where: { bindingId } });
    await watchOnly(bindingId);

    const reported: StillAnswering[] = [];
    const report = async (_: Db, finding: StillAnswering) => void reported.push(finding);
    const run = (at: number) => runUnbindWatch(client, { now: new Date(at), adapterContext: { env, enableRateLimit: false }, report });

    // not due yet: nothing is asked
    expect(await run(watch.startedAt.getTime() + 60_000)).toMatchObject({ checked: 0, stillAnswering: 0 });
    // due, the key still refused: checked, nothing to report
    const first = watch.nextCheckAt.getTime();
    expect(await run(first)).toMatchObject({ checked: 1, stillAnswering: 0, ended: 0 });
    // the IP restriction lifted: the key answers again, and is reported
    sim.restrictKey("okx", key.apiKey, { ipWhitelist: [] });
    expect(await run(first + CHECK_INTERVAL_MS)).toMatchObject({ checked: 1, stillAnswering: 1 });
    expect(reported).toEqual([expect.objectContaining({ userId: owner, bindingId, exchange: EXCHANGE, outcome: "valid", maskedKey: expect.stringContaining("…") })]);
    // still answering on the next check: reported once only
    expect(await run(first + 2 * CHECK_INTERVAL_MS)).toMatchObject({ checked: 1, stillAnswering: 0 });
    expect(reported).toHaveLength(1);
    expect(await client.unbindWatch.findUniqueOrThrow({ where: { bindingId } })).toMatchObject({ checks: 3, lastOutcome: "valid", endedAt: null });
    await expect(loadWatchedCredentials(client, owner, bindingId)).resolves.toMatchObject({ apiKey: key.apiKey });

    // the week ends: the watch stops and the secret is shredded
    expect(await run(watch.endsAt.getTime())).toMatchObject({ checked: 0, ended: 1 });
    const binding = await client.exchangeBinding.findUniqueOrThrow({ where: { id: bindingId }, omit: { apiKeyEnc: false, secretEnc: false, passphraseEnc: false } });
    expect(binding).toMatchObject({ apiKeyEnc: SHREDDED, secretEnc: SHREDDED, passphraseEnc: null });
    expect(await client.unbindWatch.findUniqueOrThrow({ where: { bindingId } })).toMatchObject({ endReason: "expired" });
    await expect(loadWatchedCredentials(client, owner, bindingId)).rejects.toThrow();
    expect(await client.auditEvent.count({ where: { bindingId, type: { in: ["key.secret_shredded", "unbind.watch_ended"] } } })).toBe(2);
    expect(await run(watch.endsAt.getTime() + CHECK_INTERVAL_MS)).toMatchObject({ checked: 0, ended: 0 });
  });

  it("reports through the audit log and a signed webhook by default", async () => {
    const { key, bindingId } = await bindGeneric();
    const sessionId = await toConfirm(bindingId);
    sim.restrictKey("okx", key.apiKey, { ipWhitelist: ["203.0.113.7"] });
    await act(owner, sessionId, { type: "confirm" });
    await reauth(client, owner);
    await act(owner, sessionId, { type: "acknowledge_unprovable", acknowledgement: UNPROVABLE_ACKNOWLEDGEMENT });
    sim.restrictKey("okx", key.apiKey, { ipWhitelist: [] });
    const watch = await client.unbindWatch.findUniqueOrThrow({ where: { bindingId } });
    await watchOnly(bindingId);

    // a webhook receiver on this machine that checks the signature, as a user's integration would
    const receiver = await startReceiver();
    try {
      const created = await createTarget(client, owner, { name: "ops", url: receiver.url }, noRequestMeta, { allowPrivateNetworks: true });
      receiver.setSecret(created.signingSecret);
      const result = await runUnbindWatch(client, { now: watch.nextCheckAt, adapterContext: { env, enableRateLimit: false }, notify: { allowPrivateNetworks: true, retryDelaysMs: [] } });
      expect(result.stillAnswering).toBe(1);
    } finally {
      await receiver.close();
    }
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.signatureOk).toBe(true);
    expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({
      type: "key.alert",
      data: { kind: "still_answers_after_unbind", key: { exchange: EXCHANGE, maskedKey: expect.stringContaining("…") } },
    });
    expect(receiver.received[0]!.body).not.toContain(key.secret);
    expect(await client.auditEvent.count({ where: { bindingId, type: "unbind.key_still_answers" } })).toBe(1);
    // and in the dashboard's alerts, once
    expect(await client.alert.count({ where: { bindingId, kind: "still_answers_after_unbind" } })).toBe(1);
  });

  it("runs as a pg-boss schedule with its own queue and worker", async () => {
    const boss = await getBoss(database.url);
    try {
      await registerUnbindWatch(boss, client, { adapterContext: { env, enableRateLimit: false } });
      // registering again (a second process, a restart) changes nothing
      await registerUnbindWatch(boss, client, { adapterContext: { env, enableRateLimit: false } });
      expect(await boss.getQueue(UNBIND_WATCH_QUEUE)).toMatchObject({ name: UNBIND_WATCH_QUEUE, policy: "singleton" });
      expect(await boss.getSchedules()).toEqual([expect.objectContaining({ name: UNBIND_WATCH_QUEUE, cron: WATCH_CRON })]);
    } finally {
      await stopBoss();
    }
  });
});
