import "server-only";
import type { Db } from "@/lib/db";
import { env } from "@/lib/env";
import type { NormalizedPermissions } from "@/lib/exchanges/types";
import { listBindings, toKeyView, type KeyView } from "@/lib/keys/list-keys";
import { rankFactsOfView, rankKeys, type RiskReason } from "@/lib/keys/risk-ranking";
import { listKeyChecks } from "./key-checks";
import { buildTimeline, lastChange } from "./timeline";

// The review page's data: every bound key of the user, ranked by risk (lib/keys/risk-ranking.ts)
// with its reasons, and its history from the KeyCheck rows as a timeline. Plain strings, no
// Dates: it crosses into the page.

export interface ReviewTimelineEntry {
  id: string;
  at: string;
  source: string;
  status: string;
  summary: string;
  changes: string[];
}

export interface ReviewKey {
  key: KeyView;
  score: number;
  reasons: RiskReason[];
  remove: boolean;
  timeline: ReviewTimelineEntry[];
}

export async function reviewKeys(client: Db, userId: string, now = new Date()): Promise<ReviewKey[]> {
  const views = (await listBindings(client, userId)).map((binding) => toKeyView(binding, null, now));
  const checks = await listKeyChecks(client, userId, views.map((v) => v.id));
  const timelines = new Map(
    views.map((view) => [
      view.id,
      buildTimeline((checks.get(view.id) ?? []).map((row) => ({ ...row, permissions: (row.permissions as NormalizedPermissions | null) ?? null }))),
    ]),
  );
  return rankKeys(views, (view) => rankFactsOfView(view, lastChange(timelines.get(view.id) ?? [])), { now, rotationDays: env().KEY_ROTATION_DAYS }).map((ranked) => ({
    key: ranked.item,
    score: ranked.score,
    reasons: ranked.reasons,
    remove: ranked.remove,
    timeline: (timelines.get(ranked.item.id) ?? []).map((entry) => ({ ...entry, at: entry.at.toISOString() })),
  }));
}
