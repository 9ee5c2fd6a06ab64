import { reauthValid } from "@/lib/auth/reauth-window";
import type { WizardStep } from "./steps";

// The precaution gates (docs/architecture.md), judged from facts the server gathered itself
// (lib/unbind/gate-facts.ts): never from anything the page says. Pure, so every gate has unit
// tests and the page and the server agree on what is missing and why.

export const gateIds = ["backup", "impact", "security", "notify", "review"] as const;
export type GateId = (typeof gateIds)[number];

/**
 * The wizard page where each gate is satisfied. A gate must hold to leave its page, and so
 * before every later step: backup and impact before the first exchange step, security and
 * notify before the delete step, review before the wizard is done (docs/architecture.md).
 */
export const gatePage: Record<GateId, WizardStep> = {
  backup: "backup",
  impact: "impact",
  security: "security",
  notify: "notify",
  review: "review",
};

export interface BotFact {
  id: string;
  name: string;
  status: "RUNNING" | "STOPPED";
}

export interface GateFacts {
  now: Date;
  backup: {
    /** When the last trade export finished; null when no export ever completed. */
    lastSyncedAt: Date | null;
    /**
     * Newest download of a backup of this key: when it was made and downloaded, whether its
     * coverage was complete as far as the exchange allows (null: made before coverage was
     * recorded), the gaps its coverage names, and when the user accepted them.
     */
    latestDownload: { createdAt: Date; downloadedAt: Date; complete: boolean | null; gaps: string[]; gapsAcceptedAt: Date | null } | null;
    declinedAt: Date | null;
  };
  impact: {
    bots: BotFact[];
    acknowledgedBotIds: string[];
    reviewedAt: Date | null;
  };
  security: {
    reauthenticatedAt: Date | null;
    checklist: readonly string[];
    acknowledged: readonly string[];
  };
  notify: {
    enabledTargets: number;
    deliveries: { status: "PENDING" | "DELIVERED" | "FAILED" }[];
    sentAt: Date | null;
    noneNeededAt: Date | null;
  };
  review: { reviewedAt: Date | null; completed: boolean };
}

export interface GateStatus {
  id: GateId;
  satisfied: boolean;
  /** What holds, or what is missing, in words for the user. */
  summary: string;
  /** What will satisfy the gate; null once it holds. */
  howTo: string | null;
}

function gate(id: GateId, satisfied: boolean, summary: string, howTo: string | null): GateStatus {
  return { id, satisfied, summary, howTo: satisfied ? null : howTo };
}

export function backupGate({ backup }: GateFacts): GateStatus {
  if (backup.declinedAt) return gate("backup", true, "You chose to unbind without a backup (recorded).", null);
  const howTo = "Export the key's trades and download the backup, or record that you do not need one.";
  if (!backup.lastSyncedAt) return gate("backup", false, "No trade export of this key has finished yet.", howTo);
  const download = backup.latestDownload;
  if (!download) return gate("backup", false, "No backup of this key has been downloaded.", howTo);
  if (download.createdAt < backup.lastSyncedAt) {
    return gate("backup", false, "The last downloaded backup is older than the last trade export.", "Download the backup again so it holds every exported trade.");
  }
  // No time in these words: the page shows the download's time in the viewer's zone (LocalTime).
  if (download.complete === true) return gate("backup", true, "A complete backup was downloaded after the last export.", null);
  if (download.gapsAcceptedAt) return gate("backup", true, "A backup was downloaded after the last export; you accepted the gaps its coverage report lists (recorded).", null);
  const gaps = download.complete === null ? "it was made before MyITS recorded what a backup covers" : `its coverage report lists ${download.gaps.length} gap(s)`;
  return gate(
    "backup",
    false,
    `The downloaded backup may not hold everything: ${gaps}.`,
    "Back up again with a full scan of every market and download it, or read the listed gaps and accept them.",
  );
}

export function impactGate({ impact }: GateFacts): GateStatus {
  const running = impact.bots.filter((bot) => bot.status === "RUNNING" && !impact.acknowledgedBotIds.includes(bot.id));
  const howTo = "Stop each bot that uses this key, or acknowledge that it will stop working.";
  if (!impact.reviewedAt) {
    return gate("impact", false, impact.bots.length ? `${impact.bots.length} bot(s) use this key.` : "No bot uses this key: confirm you have read this.", howTo);
  }
  if (running.length) return gate("impact", false, `Still running: ${running.map((b) => b.name).join(", ")}.`, howTo);
  return gate("impact", true, impact.bots.length ? "Every bot using this key is stopped or acknowledged." : "No bot uses this key.", null);
}

export function securityGate({ security, now }: GateFacts): GateStatus {
  const missing = security.checklist.filter((item) => !security.acknowledged.includes(item));
  if (missing.length) {
    return gate("security", false, "The account checklist is not complete.", "Tick every item of the exchange-account checklist.");
  }
  if (!reauthValid(security.reauthenticatedAt, now)) {
    return gate("security", false, "You have not confirmed your password in the last 5 minutes.", "Confirm your MyITS password (and authenticator code).");
  }
  return gate("security", true, "Checklist done and password confirmed in the last 5 minutes.", null);
}

export function notifyGate({ notify }: GateFacts): GateStatus {
  if (notify.noneNeededAt) return gate("notify", true, "You recorded that nobody needs to be told.", null);
  const howTo = notify.enabledTargets
    ? "Send the signed notification to your webhooks (and retry any that failed), or record that nobody needs it."
    : "Record that nobody needs to be told, or add a webhook in Settings → Notifications.";
  if (!notify.sentAt) return gate("notify", false, "Nobody has been notified yet.", howTo);
  const failed = notify.deliveries.filter((d) => d.status !== "DELIVERED").length;
  if (failed || notify.deliveries.length === 0) {
    return gate("notify", false, `${failed} of ${notify.deliveries.length} notification(s) not delivered.`, howTo);
  }
  return gate("notify", true, `All ${notify.deliveries.length} notification(s) delivered.`, null);
}

export function reviewGate({ review }: GateFacts): GateStatus {
  if (review.reviewedAt) return gate("review", true, "You reviewed your remaining keys.", null);
  return gate("review", false, review.completed ? "Review your remaining keys." : "Comes after the exchange confirms the key is gone.", "Look through your remaining keys and their risks, then finish.");
}

export function evaluateGates(facts: GateFacts): Record<GateId, GateStatus> {
  return {
    backup: backupGate(facts),
    impact: impactGate(facts),
    security: securityGate(facts),
    notify: notifyGate(facts),
    review: reviewGate(facts),
  };
}
