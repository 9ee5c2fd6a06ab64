import "server-only";
import type { Db } from "@/lib/db";
import { encodeCsvField } from "@/lib/backups/archive/csv";
import { listEvents, type AuditCursor, type AuditFilter } from "./list-events";
import { presentEvents } from "./present-event";

// The audit log as CSV, streamed: one keyset page of events at a time is read, put in words and
// written, only when the client asks for more (pull), so memory stays flat however long the log
// is, and a client that goes away stops the reading. Times are ISO 8601 UTC: a file is read
// anywhere, by people and programs, long after the browser that asked for it.

const BATCH = 1000;
const header = ["time_utc", "event", "detail", "key_label", "exchange", "ip", "device", "type", "id"];

export function auditCsv(client: Db, userId: string, filter: AuditFilter): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let before: AuditCursor | undefined;
  let started = false;
  let cancelled = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`${header.join(",")}\r\n`));
      }
      const { events } = await listEvents(client, userId, { ...filter, before, limit: BATCH });
      if (cancelled) return;
      const presented = await presentEvents(client, userId, events);
      const lines = presented.map((e) =>
        [e.at.toISOString(), e.title, e.detail, e.key?.label ?? null, e.key?.exchangeName ?? null, e.ip, e.device, e.type, e.id].map(encodeCsvField).join(","),
      );
      if (lines.length) controller.enqueue(encoder.encode(`${lines.join("\r\n")}\r\n`));
      const last = events.at(-1);
      if (events.length < BATCH || !last) controller.close();
      else before = { at: last.createdAt, id: last.id };
    },
    cancel() {
      cancelled = true;
    },
  });
}
