import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { listEvents } from "@/lib/audit/list-events";
import { describeEvent } from "@/lib/audit/describe-event";
import { requirePageUser } from "@/lib/auth/current-user";
import { db } from "@/lib/db";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<{ before?: string }> }) {
  const user = await requirePageUser("/audit");
  const { before } = await searchParams;
  const { events, nextBefore } = await listEvents(db(), user.id, {
    before: before && /^\d+$/.test(before) ? BigInt(before) : undefined,
  });
  return (
    <>
      <h1 className="text-2xl font-semibold">Audit log</h1>
      <p className="text-slate-600">Everything that happened to your account and keys. Entries can never be changed or removed.</p>
      <Card>
        {events.length === 0 ? (
          <p className="text-slate-600">No events yet.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Your audit events, newest first</caption>
            <thead className="border-b border-slate-200 text-slate-500">
              <tr>
                <th scope="col" className="py-2 pr-4 font-medium">When</th>
                <th scope="col" className="py-2 pr-4 font-medium">Event</th>
                <th scope="col" className="py-2 font-medium">From</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.id.toString()} className="border-b border-slate-100" data-testid="audit-event" data-type={event.type}>
                  <td className="py-2 pr-4 whitespace-nowrap text-xs"><LocalTime value={event.createdAt} style="datetime-seconds" /></td>
                  <td className="py-2 pr-4">{describeEvent(event.type, event.data)}</td>
                  <td className="py-2 text-slate-500">{event.ip ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {nextBefore ? (
          <Link className="mt-4 inline-block text-sm font-medium text-indigo-700 underline" href={`/audit?before=${nextBefore}`}>
            Older events
          </Link>
        ) : null}
      </Card>
    </>
  );
}
