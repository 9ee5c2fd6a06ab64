import type { GateFacts } from "@/lib/unbind/gates";

// Gate facts where every precaution holds; each test breaks the one it is about.
export const NOW = new Date("2026-11-24T12:00:00Z");
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

export function allMet(): GateFacts {
  return {
    now: NOW,
    backup: { lastSyncedAt: minutesAgo(30), latestDownload: { createdAt: minutesAgo(20), downloadedAt: minutesAgo(19), complete: true, gaps: [], gapsAcceptedAt: null }, declinedAt: null },
    impact: { bots: [{ id: "bot1", name: "Grid BTC", status: "STOPPED" }], acknowledgedBotIds: [], reviewedAt: minutesAgo(10) },
    security: { reauthenticatedAt: minutesAgo(1), checklist: ["a", "b"], acknowledged: ["a", "b"] },
    notify: { enabledTargets: 1, deliveries: [{ status: "DELIVERED" }], sentAt: minutesAgo(2), noneNeededAt: null },
    review: { reviewedAt: null, completed: false },
  };
}

export { minutesAgo };
