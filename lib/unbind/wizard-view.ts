import "server-only";
import { reauthValidUntil } from "@/lib/auth/reauth-window";
import { latestCoverages } from "@/lib/backups/backups-overview";
import { historyTotals, noHistory, type HistoryTotals } from "@/lib/backups/history-totals";
import type { CoverageReport } from "@/lib/backups/coverage/coverage-report";
import type { Db } from "@/lib/db";
import { canProveDeletion, getAdapter } from "@/lib/exchanges/registry";
import type { ExchangeGuide } from "@/lib/exchanges/types";
import { env } from "@/lib/env";
import { exchangeName, listBindings, toKeyView, type KeyView } from "@/lib/keys/list-keys";
import { rankFactsOfView, rankKeys } from "@/lib/keys/risk-ranking";
import { listDeliveries } from "@/lib/notify/deliver-event";
import { canRevokeFromHere } from "./ask-exchange";
import { lastConfirmation, type UnbindEvidence } from "./evidence";
import { gatherGateFacts } from "./gate-facts";
import { evaluateGates, type BotFact, type GateId, type GateStatus } from "./gates";
import { securityChecklist, type ChecklistItem } from "./security-checklist";
import { stepProgress, type StepState } from "./step-progress";
import { firstUnmetGate } from "./state-machine";
import { nextStepAfter, type WizardStep } from "./steps";
import { loadSession } from "./unbind-session";

// Everything one wizard page shows, gathered on the server from the same facts the gates are
// judged on, so the page never claims a gate holds when the server would refuse the step.
// Plain data (strings, no Dates): it crosses into client components.

export interface WizardView {
  sessionId: string;
  status: "ACTIVE" | "COMPLETED" | "CANCELLED";
  step: WizardStep;
  /** What the stepper may say of each step (lib/unbind/step-progress.ts). */
  progress: Record<WizardStep, StepState>;
  purpose: UnbindEvidence["purpose"] | null;
  key: { id: string; exchange: string; exchangeName: string; label: string; maskedKey: string; createdAt: string | null; boundAt: string };
  guide: ExchangeGuide;
  gates: Record<GateId, GateStatus>;
  /** Why "Continue" is disabled on this step; null when the next step may be entered. */
  blockedBy: GateStatus | null;
  bots: (BotFact & { acknowledged: boolean })[];
  backup: {
    /** What MyITS holds of this key's history: what a backup downloaded now contains. */
    holds: HistoryTotals;
    lastSyncedAt: string | null;
    latestDownloadAt: string | null;
    declinedAt: string | null;
    /** The downloaded backup's coverage was complete; null when none was downloaded (or made before coverage). */
    complete: boolean | null;
    gaps: string[];
    gapsAcceptedAt: string | null;
    /** What a backup made now would cover (the newest succeeded export). */
    coverage: CoverageReport | null;
    fullScanOffered: boolean;
  };
  checklist: (ChecklistItem & { acknowledged: boolean })[];
  reauthValidUntil: string | null;
  notify: { enabledTargets: number; deliveries: Awaited<ReturnType<typeof listDeliveries>>; noneNeeded: boolean };
  lastConfirmation: UnbindEvidence["confirmations"][number] | null;
  canRevokeFromHere: boolean;
  /** The exchange can say "this key does not exist" (a full adapter); else the user's acknowledgement completes. */
  canProveDeletion: boolean;
  /** Why the exchange cannot prove a deletion, when its adapter says (null: no full adapter, or it can). */
  unprovableBecause: string | null;
  forced: boolean;
  /** An unprovable unbind: the key is re-checked until then (ISO time). */
  watchUntil: string | null;
  detachedBotIds: string[];
}

/** `authSessionId`: the viewer's sign-in session, whose re-authentication the view shows. */
export async function getWizardView(client: Db, userId: string, sessionId: string, authSessionId: string, now = new Date()): Promise<WizardView> {
  const session = await loadSession(client, userId, sessionId);
  const name = exchangeName(session.exchange);
  const [facts, deliveries, coverages, totals] = await Promise.all([
    gatherGateFacts(client, session, session.evidence, name, authSessionId, now),
    listDeliveries(client, userId, { unbindSessionId: session.id }),
    latestCoverages(client, userId, session.bindingId),
    historyTotals(client, userId, [session.bindingId]),
  ]);
  const download = facts.backup.latestDownload;
  const gates = evaluateGates(facts);
  const next = nextStepAfter(session.step);
  const acknowledged = new Set(facts.impact.acknowledgedBotIds);
  const confirmation = lastConfirmation(session.evidence);
  const forced = Boolean(session.evidence.forced);
  return {
    sessionId: session.id,
    status: session.status,
    step: session.step,
    progress: stepProgress({ step: session.step, status: session.status, gates, revoked: confirmation?.outcome === "revoked", forced }),
    purpose: session.evidence.purpose ?? null,
    key: {
      id: session.bindingId,
      exchange: session.exchange,
      exchangeName: name,
      label: session.binding.label,
      maskedKey: session.binding.apiKeyMasked,
      createdAt: session.binding.keyCreatedAt?.toISOString() ?? null,
      boundAt: session.binding.createdAt.toISOString(),
    },
    guide: getAdapter(session.exchange).guide,
    gates,
    blockedBy: session.status === "ACTIVE" && next ? firstUnmetGate(next, gates) : null,
    bots: facts.impact.bots.map((bot) => ({ ...bot, acknowledged: acknowledged.has(bot.id) })),
    backup: {
      holds: totals.get(session.bindingId) ?? noHistory,
      lastSyncedAt: facts.backup.lastSyncedAt?.toISOString() ?? null,
      latestDownloadAt: download?.downloadedAt.toISOString() ?? null,
      declinedAt: facts.backup.declinedAt?.toISOString() ?? null,
      complete: download?.complete ?? null,
      gaps: download?.gaps ?? [],
      gapsAcceptedAt: download?.gapsAcceptedAt?.toISOString() ?? null,
      coverage: coverages.get(session.bindingId) ?? null,
      fullScanOffered: getAdapter(session.exchange).history.fullScan,
    },
    checklist: securityChecklist(name).map((item) => ({ ...item, acknowledged: facts.security.acknowledged.includes(item.id) })),
    reauthValidUntil: reauthValidUntil(facts.security.reauthenticatedAt, now)?.toISOString() ?? null,
    notify: { enabledTargets: facts.notify.enabledTargets, deliveries, noneNeeded: facts.notify.noneNeededAt !== null },
    lastConfirmation: confirmation,
    canRevokeFromHere: session.status === "ACTIVE" && canRevokeFromHere(session.exchange, session.binding.permissions),
    canProveDeletion: canProveDeletion(getAdapter(session.exchange)),
    unprovableBecause: getAdapter(session.exchange).unprovableDeletion ?? null,
    forced,
    watchUntil: session.evidence.unprovable?.watchUntil ?? null,
    detachedBotIds: session.evidence.detachedBotIds,
  };
}

/** The final review: the keys the user still has, riskiest first, ranked as the review page ranks them. */
export async function remainingKeys(client: Db, userId: string, now = new Date()): Promise<KeyView[]> {
  const views = (await listBindings(client, userId)).map((binding) => toKeyView(binding, null, now));
  return rankKeys(views, (view) => rankFactsOfView(view), { now, rotationDays: env().KEY_ROTATION_DAYS }).map((ranked) => ranked.item);
}
