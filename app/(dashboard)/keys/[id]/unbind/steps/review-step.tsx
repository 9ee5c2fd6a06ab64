import Link from "next/link";
import type { KeyView } from "@/lib/keys/list-keys";
import type { WizardView } from "@/lib/unbind/wizard-view";
import { WizardForm } from "../wizard-form";

// After success: the keys the user still has, riskiest first (lib/keys/risk-ranking.ts, as on the
// review page), with their risks, and the way on: the next unbind, or a key on the exchange the
// user is moving to, which takes the bots over.
export function ReviewStep({ view, remaining, transferExchangeName }: { view: WizardView; remaining: KeyView[]; transferExchangeName: string | null }) {
  const target = view.purpose?.reason === "transfer" ? view.purpose.targetExchange : undefined;
  return (
    <div className="space-y-5">
      <div className={`rounded-md border p-4 ${view.forced || view.watchUntil ? "border-amber-300 bg-amber-50" : "border-emerald-300 bg-emerald-50"}`} role="status" data-testid="unbind-success">
        <p className="font-medium">
          {view.watchUntil
            ? `“${view.key.label}” is unbound on your word: MyITS cannot prove that ${view.key.exchangeName} deleted it. Until ${view.watchUntil.slice(0, 10)} MyITS asks ${view.key.exchangeName} with the key every few hours and tells you if it still answers; then it destroys the stored secret.`
            : view.forced
            ? `“${view.key.label}” is unbound without ${view.key.exchangeName}'s confirmation. MyITS destroyed its stored copy.`
            : `${view.key.exchangeName} confirmed that “${view.key.label}” (${view.key.maskedKey}) no longer exists. MyITS destroyed its stored copy.`}
        </p>
        {view.detachedBotIds.length ? <p className="text-sm">{view.detachedBotIds.length} bot(s) were stopped and detached from the key.</p> : null}
      </div>
      {target ? (
        <p data-testid="transfer-link">
          Moving to {transferExchangeName ?? target}?{" "}
          <Link className="font-medium text-indigo-700 underline" href={`/keys/new?exchange=${encodeURIComponent(target)}&carryFrom=${view.sessionId}`}>
            Bind a {transferExchangeName ?? target} key{view.detachedBotIds.length ? " and move the detached bots to it" : ""}
          </Link>
        </p>
      ) : null}
      <section aria-labelledby="remaining-heading" className="space-y-3">
        <h3 id="remaining-heading" className="font-medium">Your remaining keys</h3>
        {remaining.length === 0 ? (
          <p className="text-slate-700" data-testid="no-remaining">You have no other keys bound to MyITS.</p>
        ) : (
          <ul className="space-y-3" data-testid="remaining-keys">
            {remaining.map((key) => (
              <li key={key.id} className="rounded-md border border-slate-200 p-4" data-key-id={key.id}>
                <div className="flex flex-wrap items-center justify-between gap-3">
                  <p><span className="font-medium">{key.label}</span> <span className="text-slate-600">· {key.exchangeName} · <span className="font-mono">{key.maskedKey}</span></span></p>
                  <Link className="rounded-md border border-red-300 px-3 py-1 text-sm font-medium text-red-800 hover:bg-red-50" href={`/keys/${key.id}/unbind`}>
                    Review and unbind<span className="sr-only"> {key.label}</span>
                  </Link>
                </div>
                {key.riskFlags.length ? (
                  <ul className="mt-2 space-y-1 text-sm" aria-label={`Risks of ${key.label}`}>
                    {key.riskFlags.map((flag) => <li key={flag.code} data-risk={flag.code} className="text-slate-800">⚠ {flag.message}</li>)}
                  </ul>
                ) : <p className="mt-2 text-sm text-slate-600">No risk flags.</p>}
              </li>
            ))}
          </ul>
        )}
      </section>
      {view.step === "review" ? (
        <WizardForm sessionId={view.sessionId} type="finish_review" label="Finish review" testId="finish-review" />
      ) : (
        <p className="text-sm text-slate-700" data-testid="review-done">Review done. <Link className="font-medium text-indigo-700 underline" href="/keys">Back to your keys</Link></p>
      )}
    </div>
  );
}
