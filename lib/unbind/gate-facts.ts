import "server-only";
import { sessionReauthenticatedAt } from "@/lib/auth/reauthenticate";
import type { Db, Tx } from "@/lib/db";
import type { GateFacts } from "./gates";
import type { UnbindEvidence } from "./evidence";
import { checklistIds } from "./security-checklist";
import { coverageReportSchema, namedGaps } from "@/lib/backups/coverage/coverage-report";

// Gathers what the gates are judged on from Postgres, never from the request: the backups
// actually downloaded, the bots as they are now, the last re-authentication of the sign-in
// session making the request (`authSessionId`: never another browser's), the webhook
// deliveries as recorded.

export interface SessionForFacts {
  id: string;
  userId: string;
  bindingId: string;
  status: "ACTIVE" | "COMPLETED" | "CANCELLED";
}

export async function gatherGateFacts(
  client: Db | Tx,
  session: SessionForFacts,
  evidence: UnbindEvidence,
  exchangeName: string,
  authSessionId: string,
  now = new Date(),
): Promise<GateFacts> {
  const [binding, download, bots, reauthenticatedAt, enabledTargets, deliveries] = await Promise.all([
    client.exchangeBinding.findFirstOrThrow({ where: { id: session.bindingId, userId: session.userId }, select: { lastSyncedAt: true } }),
    // Only the verifiable ZIP archive counts as the backup; a plain CSV does not restore.
    client.backup.findFirst({
      where: { bindingId: session.bindingId, userId: session.userId, format: "ZIP", downloadedAt: { not: null }, declinedAt: null },
      orderBy: { createdAt: "desc" },
      select: { id: true, createdAt: true, downloadedAt: true, complete: true, gapsAcceptedAt: true, exportJob: { select: { coverage: true } } },
    }),
    client.bot.findMany({
      where: { userId: session.userId, OR: [{ bindingId: session.bindingId }, { id: { in: evidence.detachedBotIds } }] },
      select: { id: true, name: true, status: true },
      orderBy: { name: "asc" },
    }),
    sessionReauthenticatedAt(client, session.userId, authSessionId),
    client.notificationTarget.count({ where: { userId: session.userId, enabled: true } }),
    evidence.notify?.kind === "sent"
      ? client.webhookDelivery.findMany({ where: { userId: session.userId, unbindSessionId: session.id }, select: { status: true } })
      : Promise.resolve([]),
  ]);
  return {
    now,
    backup: {
      lastSyncedAt: binding.lastSyncedAt,
      latestDownload: download?.downloadedAt
        ? {
            createdAt: download.createdAt,
            downloadedAt: download.downloadedAt,
            complete: download.complete,
            gaps: gapsOf(download.exportJob?.coverage),
            gapsAcceptedAt: download.gapsAcceptedAt,
          }
        : null,
      declinedAt: evidence.backup ? new Date(evidence.backup.declinedAt) : null,
    },
    impact: {
      bots,
      acknowledgedBotIds: evidence.impact?.acknowledgedBotIds ?? [],
      reviewedAt: evidence.impact ? new Date(evidence.impact.reviewedAt) : null,
    },
    security: {
      reauthenticatedAt,
      checklist: checklistIds(exchangeName),
      acknowledged: evidence.security?.acknowledged ?? [],
    },
    notify: {
      enabledTargets,
      deliveries,
      sentAt: evidence.notify?.kind === "sent" ? new Date(evidence.notify.at) : null,
      noneNeededAt: evidence.notify?.kind === "none_needed" ? new Date(evidence.notify.at) : null,
    },
    review: { reviewedAt: evidence.review ? new Date(evidence.review.reviewedAt) : null, completed: session.status === "COMPLETED" },
  };
}

/** The gaps a stored coverage report names; none when there is no (readable) report. */
export function gapsOf(coverage: unknown): string[] {
  const parsed = coverageReportSchema.safeParse(coverage);
  return parsed.success ? namedGaps(parsed.data) : [];
}
