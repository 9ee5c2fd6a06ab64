import "server-only";
import { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "@/lib/db";
import { bindingIdSchema } from "@/lib/keys/schemas";
import { endOfDay, isCalendarDay, startOfDay } from "@/lib/time/zoned-day";
import { auditKindIds, typesOfKind, type AuditKind } from "./event-kinds";

// A user's own audit events, newest first, filtered by key, kind and day, paged by keyset on
// (createdAt, id): the position of the last row shown, never an offset, so page 2,000 costs what
// page 1 does. Each filter has an index that serves it in this order (prisma/schema.prisma:
// AuditEvent), which keeps a page at a few index entries with 100,000 events and more.

export interface AuditCursor {
  at: Date;
  id: bigint;
}

export function encodeCursor(event: { createdAt: Date; id: bigint }): string {
  return `${event.createdAt.getTime()}-${event.id}`;
}

const cursorSchema = z
  .string()
  .regex(/^\d{1,15}-\d{1,19}$/, "must be a position from an earlier page")
  .transform((value): AuditCursor => {
    const [at, id] = value.split("-") as [string, string];
    return { at: new Date(Number(at)), id: BigInt(id) };
  });

const emptyIsAbsent = (value: unknown) => (value === "" ? undefined : value);
const day = z.string().refine(isCalendarDay, "must be a day as YYYY-MM-DD");

/** The query of the audit page, its JSON route and its CSV export. */
export const auditQuerySchema = z.object({
  key: z.preprocess(emptyIsAbsent, bindingIdSchema.optional()),
  kind: z.preprocess(emptyIsAbsent, z.enum(auditKindIds).optional()),
  from: z.preprocess(emptyIsAbsent, day.optional()),
  to: z.preprocess(emptyIsAbsent, day.optional()),
  before: z.preprocess(emptyIsAbsent, cursorSchema.optional()),
});

export type AuditQuery = z.infer<typeof auditQuerySchema>;

export interface AuditFilter {
  bindingId?: string;
  kind?: AuditKind;
  /** inclusive */
  from?: Date;
  /** exclusive */
  to?: Date;
}

/** The query's days as instants in the viewer's zone: "to" includes the whole of its day. */
export function filterOf(query: AuditQuery, timeZone: string): AuditFilter {
  return {
    ...(query.key ? { bindingId: query.key } : {}),
    ...(query.kind ? { kind: query.kind } : {}),
    ...(query.from ? { from: startOfDay(query.from, timeZone) } : {}),
    ...(query.to ? { to: endOfDay(query.to, timeZone) } : {}),
  };
}

function whereOf(userId: string, filter: AuditFilter, before?: AuditCursor): Prisma.AuditEventWhereInput {
  const createdAt: Prisma.DateTimeFilter = {
    ...(filter.from ? { gte: filter.from } : {}),
    ...(filter.to ? { lt: filter.to } : {}),
    // (createdAt, id) < (at, id), written so the index's first column bounds the scan
    ...(before ? { lte: before.at } : {}),
  };
  return {
    userId,
    ...(filter.bindingId ? { bindingId: filter.bindingId } : {}),
    ...(filter.kind ? { type: { in: typesOfKind(filter.kind) } } : {}),
    ...(Object.keys(createdAt).length ? { createdAt } : {}),
    ...(before ? { OR: [{ createdAt: { lt: before.at } }, { id: { lt: before.id } }] } : {}),
  };
}

export async function listEvents(client: Db, userId: string, options: AuditFilter & { before?: AuditCursor; limit?: number } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 1000);
  const rows = await client.auditEvent.findMany({
    where: whereOf(userId, options, options.before),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return { events: page, next: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null };
}
