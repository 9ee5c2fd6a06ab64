import type { Metadata } from "next";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { auditKinds } from "@/lib/audit/event-kinds";
import { auditQuerySchema, filterOf, listEvents, type AuditQuery } from "@/lib/audit/list-events";
import { presentEvents } from "@/lib/audit/present-event";
import { requirePageUser } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { exchangeName } from "@/lib/keys/list-keys";
import { viewerClock } from "@/lib/time/viewer-clock";

export const metadata: Metadata = { title: "Audit log" };

/** The page's own URL for these filters (and a position): links keep what the user chose. */
function hrefOf(query: Omit<AuditQuery, "before">, path: string, before?: string): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (typeof value === "string" && value) params.set(name, value);
  if (before) params.set("before", before);
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

const inputClass = "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageUser("/audit");
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = auditQuerySchema.safeParse(raw);
  const query: AuditQuery = parsed.success ? parsed.data : {};
  const { clock } = await viewerClock();
  const client = db();
  const [{ events, next }, keys] = await Promise.all([
    listEvents(client, user.id, { ...filterOf(query, clock.timeZone), before: query.before }),
    client.exchangeBinding.findMany({ where: { userId: user.id }, orderBy: [{ exchange: "asc" }, { label: "asc" }], select: { id: true, label: true, exchange: true, status: true } }),
  ]);
  const rows = await presentEvents(client, user.id, events);
  const filters = { key: query.key, kind: query.kind, from: query.from, to: query.to };
  const filtered = Object.values(filters).some(Boolean);

  return (
    <>
      <h1 className="text-2xl font-semibold">Audit log</h1>
      <p className="text-slate-600">Everything that happened to your account and keys. Entries can never be changed or removed.</p>
      <Card>
        <form method="get" action="/audit" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[1fr_1fr_auto_auto_auto]" aria-label="Filter the audit log" data-testid="audit-filters">
          <div className="space-y-1">
            <label htmlFor="audit-key" className="block text-sm font-medium">Key</label>
            <select id="audit-key" name="key" defaultValue={query.key ?? ""} className={inputClass}>
              <option value="">All keys</option>
              {keys.map((key) => (
                <option key={key.id} value={key.id}>{key.label} · {exchangeName(key.exchange)}{key.status === "UNBOUND" ? " (unbound)" : ""}</option>
              ))}
            </select>
          </div>
          <div className="space-y-1">
            <label htmlFor="audit-kind" className="block text-sm font-medium">Kind</label>
            <select id="audit-kind" name="kind" defaultValue={query.kind ?? ""} className={inputClass}>
              <option value="">Every kind</option>
              {Object.entries(auditKinds).map(([id, name]) => <option key={id} value={id}>{name}</option>)}
            </select>
          </div>
          <div className="space-y-1">
            <label htmlFor="audit-from" className="block text-sm font-medium">From</label>
            <input id="audit-from" type="date" name="from" defaultValue={query.from ?? ""} className={inputClass} />
          </div>
          <div className="space-y-1">
            <label htmlFor="audit-to" className="block text-sm font-medium">To</label>
            <input id="audit-to" type="date" name="to" defaultValue={query.to ?? ""} className={inputClass} />
          </div>
          <div className="flex items-end gap-2">
            <Button type="submit">Filter</Button>
            {filtered ? <Link href="/audit" className="px-2 py-2 text-sm font-medium text-indigo-700 underline">Clear</Link> : null}
          </div>
        </form>
        {!parsed.success ? <p className="mt-3 text-sm text-amber-900" role="status">Part of the filter was not understood, so every event is shown.</p> : null}
        <p className="mt-3 text-sm">
          <a className="font-medium text-indigo-700 underline" href={hrefOf(filters, "/api/audit/export")} download data-testid="audit-csv">
            Download {filtered ? "these events" : "the whole log"} as CSV
          </a>
        </p>
      </Card>
      <Card>
        {rows.length === 0 ? (
          <p className="text-slate-600" data-testid="audit-empty">{filtered ? "No events match this filter." : "No events yet."}</p>
        ) : (
          <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Audit events (scrolls sideways on a narrow screen)">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Your audit events, newest first</caption>
              <thead className="border-b border-slate-200 text-slate-600">
                <tr>
                  <th scope="col" className="py-2 pr-4 font-medium">When</th>
                  <th scope="col" className="py-2 pr-4 font-medium">Key</th>
                  <th scope="col" className="py-2 pr-4 font-medium">Event</th>
                  <th scope="col" className="py-2 font-medium">From</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((event) => (
                  <tr key={event.id} className="border-b border-slate-100 align-top" data-testid="audit-event" data-type={event.type}>
                    <td className="py-2 pr-4 text-xs whitespace-nowrap"><LocalTime value={event.at} style="datetime-seconds" /></td>
                    <td className="py-2 pr-4" data-testid="audit-key">
                      {event.key ? <>{event.key.label} <span className="text-slate-600">· {event.key.exchangeName}</span></> : <span className="text-slate-600">—</span>}
                    </td>
                    <td className="py-2 pr-4">
                      <p data-testid="audit-title">{event.title}</p>
                      {event.detail ? <p className="text-slate-600" data-testid="audit-detail">{event.detail}</p> : null}
                    </td>
                    <td className="py-2 text-slate-600" data-testid="audit-from">
                      {event.ip ?? "—"}
                      {event.device ? <span className="block text-xs">{event.device}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div className="mt-4 flex gap-4 text-sm">
          {query.before ? <Link className="font-medium text-indigo-700 underline" href={hrefOf(filters, "/audit")}>Newest events</Link> : null}
          {next ? <Link className="font-medium text-indigo-700 underline" href={hrefOf(filters, "/audit", next)} data-testid="audit-older">Older events</Link> : null}
        </div>
      </Card>
    </>
  );
}
