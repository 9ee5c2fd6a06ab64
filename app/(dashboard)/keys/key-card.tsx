import type { KeyView } from "@/lib/keys/list-keys";
import Link from "next/link";
import { LocalTime } from "@/components/ui/local-time";
import { recheckAction, startBackupAction } from "./actions";

// One bound key, as the exchange last described it. Server-rendered; the re-check button is a
// plain form, so it works before (and without) client-side JavaScript.

const statusStyle = {
  valid: { text: "Valid", className: "bg-emerald-100 text-emerald-800" },
  revoked: { text: "Revoked", className: "bg-red-100 text-red-800" },
  ambiguous: { text: "Refused: check needed", className: "bg-amber-100 text-amber-900" },
  unreachable: { text: "Exchange unreachable", className: "bg-slate-200 text-slate-800" },
} as const;

const permissionNames = [
  ["read", "Read"],
  ["spotTrade", "Spot trade"],
  ["marginTrade", "Margin"],
  ["futuresTrade", "Futures"],
  ["withdraw", "Withdraw"],
  ["transfer", "Transfer"],
] as const;

export function KeyCard({ view }: { view: KeyView }) {
  const status = view.live ? statusStyle[view.live.status] : null;
  return (
    <article className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm" data-testid="key-card" data-key-id={view.id} aria-labelledby={`key-${view.id}`}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h3 id={`key-${view.id}`} className="text-base font-semibold">{view.label}</h3>
          <p className="font-mono text-sm text-slate-600">{view.maskedKey}</p>
        </div>
        <div className="flex items-center gap-2">
          {status ? (
            <span className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ${status.className}`} data-testid="key-status">{status.text}</span>
          ) : (
            <span className="rounded-full bg-slate-100 px-2.5 py-0.5 text-xs text-slate-600" data-testid="key-status">Not checked</span>
          )}
          <form action={recheckAction}>
            <input type="hidden" name="bindingId" value={view.id} />
            <button type="submit" className="rounded-md border border-slate-300 px-2.5 py-1 text-xs font-medium hover:bg-slate-50">
              Re-check
            </button>
          </form>
        </div>
      </div>
      {view.live?.explanation ? <p className="mt-2 text-sm text-slate-700">Why: {view.live.explanation}.</p> : null}

      {view.riskFlags.length > 0 ? (
        <ul className="mt-3 space-y-1" aria-label="Risks" data-testid="risk-flags">
          {view.riskFlags.map((flag) => (
            <li key={flag.code} data-risk={flag.code}
              className={`rounded px-2 py-1 text-sm ${flag.severity === "high" ? "bg-red-50 text-red-800" : flag.severity === "medium" ? "bg-amber-50 text-amber-900" : "bg-slate-50 text-slate-700"}`}>
              {flag.message}
            </li>
          ))}
        </ul>
      ) : null}

      <dl className="mt-4 grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
        <div>
          <dt className="text-slate-500">Permissions{view.permissionsKnown ? "" : " (not disclosed by the exchange)"}</dt>
          <dd className="mt-1 flex flex-wrap gap-1" data-testid="permissions">
            {permissionNames.map(([key, name]) => {
              const on = view.permissions?.[key] ?? false;
              return (
                <span key={key} data-permission={key} data-on={on}
                  className={`rounded px-1.5 py-0.5 text-xs ${on ? (key === "withdraw" ? "bg-red-100 text-red-800" : "bg-indigo-100 text-indigo-800") : "bg-slate-100 text-slate-600 line-through"}`}>
                  {name}
                </span>
              );
            })}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">IP whitelist</dt>
          <dd data-testid="ip-whitelist">
            {view.unreported.includes("ipWhitelist") ? "Not reported by the exchange" : view.ipRestricted === null ? "Unknown" : !view.ipRestricted ? "None: any address" : view.ipWhitelist.length ? view.ipWhitelist.join(", ") : "Restricted (the exchange does not list the addresses)"}
          </dd>
        </div>
        <div><dt className="text-slate-500">Created on the exchange</dt><dd><LocalTime value={view.createdAt} style="date" empty="Unknown" /></dd></div>
        <div><dt className="text-slate-500">Expires</dt><dd><LocalTime value={view.expiresAt} relative empty={view.unreported.includes("expiry") ? "Not reported by the exchange" : "No expiry given"} /></dd></div>
        <div><dt className="text-slate-500">Last used by MyITS</dt><dd><LocalTime value={view.lastUsedAt} relative empty="Never" /></dd></div>
        <div>
          <dt className="text-slate-500">Bots using it</dt>
          <dd data-testid="bots">{view.bots.length ? view.bots.map((b) => `${b.name} (${b.status.toLowerCase()})`).join(", ") : "None"}</dd>
        </div>
      </dl>
      <div className="mt-4 flex flex-wrap gap-2 border-t border-slate-100 pt-3">
        {view.live?.status !== "revoked" ? (
          <form action={startBackupAction}>
            <input type="hidden" name="bindingId" value={view.id} />
            <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50">Back up</button>
          </form>
        ) : null}
        <Link href={`/keys/${view.id}/unbind`} className="rounded-md border border-red-300 px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50">
          Unbind
        </Link>
      </div>
      <p className="mt-3 text-xs text-slate-500">
        Bound <LocalTime value={view.boundAt} style="date" empty="" />
        {view.live ? <> · checked <LocalTime value={view.live.checkedAt} relative />{view.live.fromCache ? " (cached)" : ""}</> : null}
      </p>
    </article>
  );
}

export function KeyCardPending({ label, maskedKey }: { label: string; maskedKey: string }) {
  return (
    <article className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm" aria-busy="true" data-testid="key-card-pending">
      <h3 className="text-base font-semibold">{label}</h3>
      <p className="font-mono text-sm text-slate-600">{maskedKey}</p>
      <p className="mt-3 text-sm text-slate-500" role="status">Asking the exchange about this key…</p>
    </article>
  );
}
