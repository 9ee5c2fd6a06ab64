import "server-only";
import type PgBoss from "pg-boss";
import { raiseAlert } from "@/lib/alerts/raise-alert";
import { recordEvent } from "@/lib/audit/record-event";
import type { Db, Tx } from "@/lib/db";
import { getPacedAdapter } from "@/lib/exchanges/registry";
import type { AdapterContext, KeyDescription } from "@/lib/exchanges/types";
import { loadWatchedCredentials } from "@/lib/keys/credentials";
import type { DeliveryOptions } from "@/lib/notify/deliver-event";
import { shredSecret } from "./destroy-binding";

// The week after an unbind that MyITS could not prove (an exchange without a full adapter, where
// no answer means "this key does not exist"; docs/architecture.md, "Exchanges without a full
// adapter"). The key's secret stays sealed in its binding; a pg-boss schedule asks the exchange
// with it every few hours. A key that still answers is reported once (audit event and signed
// webhook); the secret is shredded when the week ends, or as soon as a check proves the key gone.

export const UNBIND_WATCH_QUEUE = "unbind-watch";
/** How long an unprovable unbind is watched. */
export const WATCH_MS = 7 * 24 * 3600_000;
/** Time between two checks of one watched key: about 28 checks in the week. */
export const CHECK_INTERVAL_MS = 6 * 3600_000;
/** The schedule's cron: each run checks the keys that are due (and ends the watches that are over). */
export const WATCH_CRON = "*/15 * * * *";
const CHECK_TIMEOUT_MS = 10_000;
/** Keys one run checks at most; the rest are due on the next run. */
const BATCH = 50;

/** Starts the watch of an unbound key, in the unbind's transaction. */
export async function startWatch(tx: Tx, args: { userId: string; bindingId: string; sessionId: string; exchange: string; now: Date }): Promise<{ endsAt: Date }> {
  const endsAt = new Date(args.now.getTime() + WATCH_MS);
  await tx.unbindWatch.create({
    data: {
      userId: args.userId,
      bindingId: args.bindingId,
      sessionId: args.sessionId,
      exchange: args.exchange,
      startedAt: args.now,
      endsAt,
      // the wizard asked the exchange just before: the first re-check is a full interval later
      nextCheckAt: new Date(args.now.getTime() + CHECK_INTERVAL_MS),
    },
  });
  return { endsAt };
}

export interface StillAnswering {
  userId: string;
  bindingId: string;
  exchange: string;
  label: string;
  maskedKey: string;
  checkedAt: Date;
  watchUntil: Date;
  /** Why the answer shows the key alive: it was accepted, or refused in a way only a live key is. */
  outcome: string;
}

/**
 * A key the user unbound still answers on its exchange: one audit event and one alert
 * (lib/alerts: the dashboard's list, a signed `key.alert` webhook event with the masked key only,
 * and an email), once per watch: the alert's change is the watch's end. Called by the first
 * check that finds it.
 */
export async function reportStillAnswering(client: Db, finding: StillAnswering, notify: DeliveryOptions = {}): Promise<void> {
  await recordEvent(client, {
    userId: finding.userId,
    type: "unbind.key_still_answers",
    bindingId: finding.bindingId,
    data: { exchange: finding.exchange, label: finding.label, maskedKey: finding.maskedKey, checkedAt: finding.checkedAt.toISOString(), outcome: finding.outcome, watchUntil: finding.watchUntil.toISOString() },
  });
  await raiseAlert(
    client,
    {
      userId: finding.userId,
      bindingId: finding.bindingId,
      kind: "still_answers_after_unbind",
      change: finding.watchUntil.toISOString(),
      data: { checkedAt: finding.checkedAt.toISOString(), watchUntil: finding.watchUntil.toISOString(), outcome: finding.outcome },
    },
    { webhook: notify },
  );
}

export interface WatchRunOptions {
  now?: Date;
  adapterContext?: AdapterContext;
  notify?: DeliveryOptions;
  /** Where a still-answering key goes; reportStillAnswering unless a caller wires it elsewhere. */
  report?: (client: Db, finding: StillAnswering) => Promise<void>;
}

export interface WatchRunReport {
  checked: number;
  stillAnswering: number;
  ended: number;
}

/** Whether an answer shows the key alive: accepted, or refused with an error only a live key gets. */
function answers(description: KeyDescription): boolean {
  return description.status === "valid" || (description.status === "ambiguous" && description.keyExists === true);
}

async function endWatch(client: Db, watch: { id: string; userId: string; bindingId: string }, reason: "expired" | "revoked", now: Date): Promise<boolean> {
  return client.$transaction(async (tx) => {
    const { count } = await tx.unbindWatch.updateMany({ where: { id: watch.id, endedAt: null }, data: { endedAt: now, endReason: reason } });
    if (count === 0) return false;
    await shredSecret(tx, { userId: watch.userId, bindingId: watch.bindingId, reason, now });
    await recordEvent(tx, { userId: watch.userId, type: "unbind.watch_ended", bindingId: watch.bindingId, data: { reason } });
    return true;
  });
}

/** One run of the watch: ends the watches whose week is over, checks the keys that are due. */
export async function runUnbindWatch(client: Db, options: WatchRunOptions = {}): Promise<WatchRunReport> {
  const now = options.now ?? new Date();
  const report = options.report ?? ((c: Db, finding: StillAnswering) => reportStillAnswering(c, finding, options.notify));
  const result: WatchRunReport = { checked: 0, stillAnswering: 0, ended: 0 };

  const over = await client.unbindWatch.findMany({ where: { endedAt: null, endsAt: { lte: now } }, select: { id: true, userId: true, bindingId: true }, take: BATCH });
  for (const watch of over) if (await endWatch(client, watch, "expired", now)) result.ended++;

  const due = await client.unbindWatch.findMany({
    where: { endedAt: null, endsAt: { gt: now }, nextCheckAt: { lte: now } },
    select: { id: true, userId: true, bindingId: true, exchange: true, endsAt: true, stillAnsweringAt: true, binding: { select: { label: true, apiKeyMasked: true } } },
    orderBy: { nextCheckAt: "asc" },
    take: BATCH,
  });
  for (const watch of due) {
    const adapter = getPacedAdapter(watch.exchange, { timeoutMs: CHECK_TIMEOUT_MS, priority: "background", ...options.adapterContext });
    const description = await adapter.describeKey(await loadWatchedCredentials(client, watch.userId, watch.bindingId));
    result.checked++;
    if (description.status === "revoked") {
      if (await endWatch(client, watch, "revoked", now)) result.ended++;
      continue;
    }
    const alive = answers(description);
    await client.unbindWatch.update({
      where: { id: watch.id },
      data: { lastCheckedAt: now, lastOutcome: description.status, checks: { increment: 1 }, nextCheckAt: new Date(now.getTime() + CHECK_INTERVAL_MS) },
    });
    if (!alive) continue;
    // Claimed under a condition, so two runs at once (two workers) report the key once.
    const { count } = await client.unbindWatch.updateMany({ where: { id: watch.id, stillAnsweringAt: null }, data: { stillAnsweringAt: now } });
    if (count === 0) continue;
    result.stillAnswering++;
    await report(client, {
      userId: watch.userId,
      bindingId: watch.bindingId,
      exchange: watch.exchange,
      label: watch.binding.label,
      maskedKey: watch.binding.apiKeyMasked,
      checkedAt: now,
      watchUntil: watch.endsAt,
      outcome: description.status,
    });
  }
  return result;
}

/** Creates the queue, its worker and its schedule on a started pg-boss (the web process's or `npm run worker`'s). */
export async function registerUnbindWatch(boss: PgBoss, client: Db, options: Omit<WatchRunOptions, "now"> = {}): Promise<void> {
  if (!(await boss.getQueue(UNBIND_WATCH_QUEUE))) {
    try {
      // one run at a time across every process: runs are short, and the claim above guards the rest
      await boss.createQueue(UNBIND_WATCH_QUEUE, { name: UNBIND_WATCH_QUEUE, policy: "singleton" });
    } catch (error) {
      if (!(await boss.getQueue(UNBIND_WATCH_QUEUE))) throw error;
    }
  }
  await boss.work(UNBIND_WATCH_QUEUE, { batchSize: 1 }, async () => {
    const report = await runUnbindWatch(client, options);
    if (report.stillAnswering > 0) console.warn(`[jobs] unbind watch: ${report.stillAnswering} unbound key(s) still answer on their exchange`);
  });
  await boss.schedule(UNBIND_WATCH_QUEUE, WATCH_CRON);
}
