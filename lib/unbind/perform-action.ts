import "server-only";
import { recordEvent } from "@/lib/audit/record-event";
import { reauthValid } from "@/lib/auth/reauth-window";
import { sessionReauthenticatedAt } from "@/lib/auth/reauthenticate";
import type { RequestMeta } from "@/lib/auth/request-meta";
import type { Db, Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { canProveDeletion, getAdapter } from "@/lib/exchanges/registry";
import type { AdapterContext } from "@/lib/exchanges/types";
import { forgetLiveFacts } from "@/lib/keys/live-facts";
import { exchangeName } from "@/lib/keys/list-keys";
import { notifyParties, retryDelivery } from "@/lib/notify/deliver-event";
import { askExchange, revokeWithKeyItself, type ExchangeAnswer } from "./ask-exchange";
import { destroyBinding } from "./destroy-binding";
import { lastConfirmation, type UnbindEvidence } from "./evidence";
import { gapsOf, gatherGateFacts } from "./gate-facts";
import { evaluateGates } from "./gates";
import type { UnbindAction } from "./schemas";
import { checklistIds } from "./security-checklist";
import { decide, type MachineAction, type MachineState } from "./state-machine";
import { lockSession, saveSession, type LoadedSession } from "./unbind-session";
import { startWatch } from "./watch-unprovable";

// The one entry point for every wizard request (server actions and the JSON route alike).
// Each action locks the session row, judges the gates from the database, asks the state
// machine, and only then changes anything, with its audit event in the same transaction.
// Calls to an exchange or a webhook happen outside any transaction; their outcome is then
// applied under the lock, re-checked against the session as it is by then.

export interface ActionOptions {
  meta: RequestMeta;
  /** The sign-in session making the request: only its own re-authentication opens the gates. */
  authSessionId: string;
  now?: () => Date;
  adapterContext?: AdapterContext;
  notify?: { fetchImpl?: typeof fetch; retryDelaysMs?: number[]; timeoutMs?: number };
}

export interface ActionResult {
  /** What happened, in words for the user. */
  message: string;
  tone: "success" | "info" | "warning";
  /** The exchange's answer, for "confirm" and "revoke_from_here". */
  exchangeAnswer?: ExchangeAnswer["outcome"];
}

type Locked = { tx: Tx; session: LoadedSession; now: Date; authSessionId: string };

async function underLock<T>(client: Db, userId: string, sessionId: string, options: ActionOptions, work: (locked: Locked) => Promise<T>): Promise<T> {
  return client.$transaction(
    async (tx) => work({ tx, session: await lockSession(tx, userId, sessionId), now: options.now?.() ?? new Date(), authSessionId: options.authSessionId }),
    { timeout: 20_000 },
  );
}

/** Refuses with the state machine's words unless `action` is allowed now. */
async function allow(locked: Locked, action: MachineAction): Promise<MachineState> {
  const { tx, session, now, authSessionId } = locked;
  const facts = await gatherGateFacts(tx, session, session.evidence, exchangeName(session.exchange), authSessionId, now);
  const decision = decide({ status: session.status, step: session.step }, action, evaluateGates(facts));
  if (decision.ok) return decision.state;
  throw new AppError(decision.code === "GATE_NOT_MET" ? "GATE_NOT_MET" : "CONFLICT", decision.message, decision.code === "GATE_NOT_MET" ? { gate: decision.gate } : undefined);
}

async function recordGate(locked: Locked, options: ActionOptions, gate: string, evidence: UnbindEvidence, data: Record<string, string | number | boolean | string[]> = {}) {
  await allow(locked, { type: "record", gate: gate as "backup" });
  await saveSession(locked.tx, locked.session, { evidence });
  await recordEvent(locked.tx, {
    userId: locked.session.userId,
    type: "unbind.gate_satisfied",
    bindingId: locked.session.bindingId,
    data: { sessionId: locked.session.id, gate, ...data },
    ...options.meta,
  });
}

export async function performUnbindAction(client: Db, userId: string, sessionId: string, action: UnbindAction, options: ActionOptions): Promise<ActionResult> {
  const meta = options.meta;
  switch (action.type) {
    case "goto":
      return underLock(client, userId, sessionId, options, async (locked) => {
        const from = locked.session.step;
        const next = await allow(locked, { type: "goto", to: action.to });
        await saveSession(locked.tx, locked.session, { step: next.step });
        await recordEvent(locked.tx, { userId, type: "unbind.step", bindingId: locked.session.bindingId, data: { sessionId, from, to: next.step }, ...meta });
        return { message: "", tone: "info" };
      });

    case "decline_backup":
      return underLock(client, userId, sessionId, options, async (locked) => {
        const declinedAt = locked.now.toISOString();
        await locked.tx.backup.create({ data: { userId, bindingId: locked.session.bindingId, declinedAt: locked.now, createdAt: locked.now } });
        await recordGate(locked, options, "backup", { ...locked.session.evidence, backup: { declinedAt, ...(action.reason ? { reason: action.reason } : {}) } }, { declined: true });
        return { message: "Recorded: you chose to unbind without a backup.", tone: "info" };
      });

    case "accept_backup_gaps":
      return underLock(client, userId, sessionId, options, async (locked) => {
        // The newest downloaded archive, as the gate judges it: its gaps are what is accepted.
        const backup = await locked.tx.backup.findFirst({
          where: { userId, bindingId: locked.session.bindingId, format: "ZIP", downloadedAt: { not: null }, declinedAt: null },
          orderBy: { createdAt: "desc" },
          select: { id: true, complete: true, exportJob: { select: { coverage: true } } },
        });
        if (!backup) throw new AppError("CONFLICT", "Download the backup first: the gaps you accept are the ones its coverage report lists.");
        if (backup.complete) throw new AppError("CONFLICT", "This backup is complete: there are no gaps to accept.");
        const gaps = gapsOf(backup.exportJob?.coverage);
        await locked.tx.backup.update({ where: { id: backup.id }, data: { gapsAcceptedAt: locked.now } });
        await recordGate(locked, options, "backup", locked.session.evidence, { gapsAccepted: true, backupId: backup.id, gaps: gaps.slice(0, 50) });
        return { message: "Recorded: you accepted the gaps this backup's coverage report lists.", tone: "info" };
      });

    case "acknowledge_impact":
      return underLock(client, userId, sessionId, options, async (locked) => {
        const bots = await locked.tx.bot.findMany({ where: { userId, bindingId: locked.session.bindingId }, select: { id: true } });
        const known = new Set(bots.map((b) => b.id));
        const foreign = action.botIds.filter((id) => !known.has(id));
        if (foreign.length) throw new AppError("BAD_REQUEST", "Some of those bots do not use this key.");
        const previous = locked.session.evidence.impact;
        await recordGate(locked, options, "impact", {
          ...locked.session.evidence,
          impact: { reviewedAt: locked.now.toISOString(), acknowledgedBotIds: action.botIds, stoppedBotIds: previous?.stoppedBotIds ?? [] },
        }, { acknowledgedBots: action.botIds.length });
        return { message: action.botIds.length ? "Recorded: those bots will stop working when the key is gone." : "Recorded.", tone: "info" };
      });

    case "stop_bots":
      return underLock(client, userId, sessionId, options, async (locked) => {
        await allow(locked, { type: "stop_bots" });
        const bots = await locked.tx.bot.findMany({ where: { userId, bindingId: locked.session.bindingId, id: { in: action.botIds } }, select: { id: true, name: true } });
        if (bots.length !== action.botIds.length) throw new AppError("BAD_REQUEST", "Some of those bots do not use this key.");
        await locked.tx.bot.updateMany({ where: { id: { in: bots.map((b) => b.id) } }, data: { status: "STOPPED" } });
        const impact = locked.session.evidence.impact;
        const stopped = [...new Set([...(impact?.stoppedBotIds ?? []), ...bots.map((b) => b.id)])];
        await saveSession(locked.tx, locked.session, {
          evidence: { ...locked.session.evidence, impact: { reviewedAt: impact?.reviewedAt ?? locked.now.toISOString(), acknowledgedBotIds: impact?.acknowledgedBotIds ?? [], stoppedBotIds: stopped } },
        });
        await recordEvent(locked.tx, { userId, type: "unbind.bots_stopped", bindingId: locked.session.bindingId, data: { sessionId, bots: bots.map((b) => b.name) }, ...meta });
        return { message: `Stopped: ${bots.map((b) => b.name).join(", ")}.`, tone: "success" };
      });

    case "acknowledge_security":
      return underLock(client, userId, sessionId, options, async (locked) => {
        const expected = checklistIds(exchangeName(locked.session.exchange));
        const unknown = action.items.filter((item) => !expected.includes(item));
        if (unknown.length) throw new AppError("BAD_REQUEST", "Unknown checklist item.");
        const missing = expected.filter((item) => !action.items.includes(item));
        if (missing.length) throw new AppError("BAD_REQUEST", "Tick every item of the checklist: each one matters when you delete the key.");
        await recordGate(locked, options, "security", { ...locked.session.evidence, security: { acknowledged: action.items, acknowledgedAt: locked.now.toISOString() } });
        return { message: "Checklist recorded.", tone: "info" };
      });

    case "no_notification_needed":
      return underLock(client, userId, sessionId, options, async (locked) => {
        await recordGate(locked, options, "notify", { ...locked.session.evidence, notify: { kind: "none_needed", at: locked.now.toISOString() } }, { noneNeeded: true });
        return { message: "Recorded: nobody needs to be told.", tone: "info" };
      });

    case "send_notifications":
      return sendNotifications(client, userId, sessionId, options);

    case "retry_notification": {
      const session = await underLock(client, userId, sessionId, options, async (locked) => {
        await allow(locked, { type: "record", gate: "notify" });
        return locked.session;
      });
      const delivery = await client.webhookDelivery.findFirst({ where: { id: action.deliveryId, userId, unbindSessionId: session.id }, select: { id: true } });
      if (!delivery) throw new AppError("NOT_FOUND", "No such notification.");
      const result = await retryDelivery(client, userId, delivery.id, options.notify);
      return result?.status === "DELIVERED"
        ? { message: "Delivered this time.", tone: "success" }
        : { message: "Still not delivered. Check the webhook's address, or record that nobody needs to be told.", tone: "warning" };
    }

    case "confirm":
      return confirmKeyGone(client, userId, sessionId, options);

    case "revoke_from_here":
      return revokeFromHere(client, userId, sessionId, options);

    case "force_unbind":
      return underLock(client, userId, sessionId, options, async (locked) => {
        const reauthenticatedAt = await sessionReauthenticatedAt(locked.tx, userId, options.authSessionId);
        const next = await allow(locked, {
          type: "force",
          lastConfirmOutcome: lastConfirmation(locked.session.evidence)?.outcome ?? null,
          reauthFresh: reauthValid(reauthenticatedAt, locked.now),
        });
        await complete(locked, options, next, { forced: { at: locked.now.toISOString(), acknowledgement: action.acknowledgement } });
        await recordEvent(locked.tx, { userId, type: "unbind.forced", bindingId: locked.session.bindingId, data: { sessionId, acknowledgement: action.acknowledgement }, ...meta });
        return { message: "Unbound without the exchange's confirmation, as you asked. The stored secret is destroyed.", tone: "warning" };
      });

    case "acknowledge_unprovable":
      return underLock(client, userId, sessionId, options, async (locked) => {
        const { session, now, tx } = locked;
        const reauthenticatedAt = await sessionReauthenticatedAt(tx, userId, options.authSessionId);
        const next = await allow(locked, {
          type: "acknowledge_unprovable",
          provable: canProveDeletion(getAdapter(session.exchange)),
          lastConfirmOutcome: lastConfirmation(session.evidence)?.outcome ?? null,
          reauthFresh: reauthValid(reauthenticatedAt, now),
        });
        const { endsAt } = await startWatch(tx, { userId, bindingId: session.bindingId, sessionId, exchange: session.exchange, now });
        const unprovable = { at: now.toISOString(), acknowledgement: action.acknowledgement, watchUntil: endsAt.toISOString() };
        await complete(locked, options, next, { unprovable }, endsAt);
        await recordEvent(tx, { userId, type: "unbind.acknowledged_unprovable", bindingId: session.bindingId, data: { sessionId, ...unprovable }, ...meta });
        const name = exchangeName(session.exchange);
        return {
          message: `Unbound on your word: MyITS cannot prove that ${name} deleted the key. Until ${endsAt.toISOString().slice(0, 10)} it asks ${name} with the key every few hours and tells you if the key still answers; then it destroys the stored secret.`,
          tone: "warning",
        };
      });

    case "finish_review":
      return underLock(client, userId, sessionId, options, async (locked) => {
        const next = await allow(locked, { type: "finish_review" });
        await saveSession(locked.tx, locked.session, { step: next.step, evidence: { ...locked.session.evidence, review: { reviewedAt: locked.now.toISOString() } } });
        await recordEvent(locked.tx, { userId, type: "unbind.step", bindingId: locked.session.bindingId, data: { sessionId, from: "review", to: "done" }, ...meta });
        return { message: "Review done.", tone: "success" };
      });

    case "cancel":
      return underLock(client, userId, sessionId, options, async (locked) => {
        const next = await allow(locked, { type: "cancel" });
        await saveSession(locked.tx, locked.session, { status: next.status });
        await recordEvent(locked.tx, { userId, type: "unbind.cancelled", bindingId: locked.session.bindingId, data: { sessionId, atStep: locked.session.step }, ...meta });
        return { message: "Unbind cancelled. The key stays bound.", tone: "info" };
      });
  }
}

/**
 * Marks the session complete and destroys the binding, in the caller's transaction.
 * `keepSecretUntil`: an unprovable unbind keeps the secret sealed for its re-checks (watch-unprovable.ts).
 */
async function complete(locked: Locked, options: ActionOptions, next: MachineState, extra: Partial<UnbindEvidence> = {}, keepSecretUntil?: Date): Promise<void> {
  const { tx, session, now } = locked;
  const { detachedBotIds } = await destroyBinding(tx, {
    userId: session.userId,
    bindingId: session.bindingId,
    sessionId: session.id,
    forced: Boolean(extra.forced),
    now,
    meta: options.meta,
    ...(keepSecretUntil ? { keepSecretUntil } : {}),
  });
  await saveSession(tx, session, { status: next.status, step: next.step, completedAt: now, evidence: { ...session.evidence, ...extra, detachedBotIds } });
  await recordEvent(tx, {
    userId: session.userId,
    type: "unbind.completed",
    bindingId: session.bindingId,
    data: { sessionId: session.id, forced: Boolean(extra.forced), ...(extra.unprovable ? { unprovable: true } : {}) },
    ...options.meta,
  });
  forgetLiveFacts(session.userId, session.bindingId);
}

async function sendNotifications(client: Db, userId: string, sessionId: string, options: ActionOptions): Promise<ActionResult> {
  const session = await underLock(client, userId, sessionId, options, async (locked) => {
    await allow(locked, { type: "record", gate: "notify" });
    return locked.session;
  });
  const targets = await client.notificationTarget.count({ where: { userId, enabled: true } });
  if (targets === 0) throw new AppError("CONFLICT", "You have no webhooks to notify. Add one in Settings → Notifications, or record that nobody needs to be told.");
  const bots = await client.bot.findMany({ where: { userId, bindingId: session.bindingId }, select: { name: true, status: true }, orderBy: { name: "asc" } });
  // Masked key only: a webhook receiver is a third party and never sees a secret.
  const deliveries = await notifyParties(client, userId, {
    type: "key.unbind_planned",
    data: {
      exchange: session.exchange,
      label: session.binding.label,
      maskedKey: session.binding.apiKeyMasked,
      bots: bots.map((b) => ({ name: b.name, status: b.status })),
      sessionId,
    },
  }, { unbindSessionId: sessionId, ...options.notify });
  await underLock(client, userId, sessionId, options, async (locked) => {
    await recordGate(locked, options, "notify", {
      ...locked.session.evidence,
      notify: { kind: "sent", at: locked.now.toISOString() },
    }, { deliveries: deliveries.length, delivered: deliveries.filter((d) => d.status === "DELIVERED").length });
  });
  const failed = deliveries.filter((d) => d.status !== "DELIVERED").length;
  return failed
    ? { message: `${failed} of ${deliveries.length} notification(s) could not be delivered. Retry them, or record that nobody needs to be told.`, tone: "warning" }
    : { message: `Delivered to ${deliveries.length} webhook(s).`, tone: "success" };
}

async function confirmKeyGone(client: Db, userId: string, sessionId: string, options: ActionOptions): Promise<ActionResult> {
  const session = await underLock(client, userId, sessionId, options, async (locked) => {
    await allow(locked, { type: "confirm" });
    return locked.session;
  });
  const answer = await askExchange(client, session, options.adapterContext);
  return applyAnswer(client, userId, sessionId, answer, options);
}

async function applyAnswer(client: Db, userId: string, sessionId: string, answer: ExchangeAnswer, options: ActionOptions): Promise<ActionResult> {
  return underLock(client, userId, sessionId, options, async (locked) => {
    const evidence: UnbindEvidence = {
      ...locked.session.evidence,
      confirmations: [...locked.session.evidence.confirmations, { at: locked.now.toISOString(), outcome: answer.outcome, reason: answer.reason, message: answer.message }].slice(-20),
    };
    await recordEvent(locked.tx, {
      userId,
      type: "unbind.confirm_attempted",
      bindingId: locked.session.bindingId,
      data: { sessionId, outcome: answer.outcome, ...(answer.reason ? { reason: answer.reason } : {}) },
      ...options.meta,
    });
    if (answer.outcome !== "revoked") {
      // Re-check under the lock: the session may have been cancelled meanwhile.
      await allow(locked, { type: "confirm" });
      await saveSession(locked.tx, locked.session, { evidence });
      return { message: answer.message, tone: "warning", exchangeAnswer: answer.outcome };
    }
    const next = await allow(locked, { type: "complete" });
    await complete({ ...locked, session: { ...locked.session, evidence } }, options, next);
    return { message: answer.message, tone: "success", exchangeAnswer: answer.outcome };
  });
}

async function revokeFromHere(client: Db, userId: string, sessionId: string, options: ActionOptions): Promise<ActionResult> {
  const session = await underLock(client, userId, sessionId, options, async (locked) => {
    await allow(locked, { type: "revoke_from_here" });
    return locked.session;
  });
  const revoked = await revokeWithKeyItself(client, session, options.adapterContext);
  await underLock(client, userId, sessionId, options, async (locked) => {
    const next = await allow(locked, { type: "revoke_from_here" });
    await saveSession(locked.tx, locked.session, {
      step: revoked.deleted ? next.step : locked.session.step,
      evidence: { ...locked.session.evidence, revokeFromHere: { at: locked.now.toISOString(), result: revoked.result } },
    });
    await recordEvent(locked.tx, { userId, type: "unbind.revoke_requested", bindingId: locked.session.bindingId, data: { sessionId, result: revoked.result }, ...options.meta });
  });
  if (!revoked.deleted) return { message: revoked.message, tone: "warning" };
  // The exchange accepted the deletion: confirm it the same way as a deletion by hand.
  const answer = await askExchange(client, session, options.adapterContext);
  return applyAnswer(client, userId, sessionId, answer, options);
}
