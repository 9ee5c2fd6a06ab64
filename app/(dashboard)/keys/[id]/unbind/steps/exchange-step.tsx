import { LocalTime } from "@/components/ui/local-time";
import { StepIllustration } from "@/components/unbind/illustrations/step-illustration";
import type { ExchangeStep as ExchangeStepId } from "@/lib/unbind/steps";
import type { WizardView } from "@/lib/unbind/wizard-view";
import { WizardForm } from "../wizard-form";

// Steps 1–6 on the exchange: the exchange's own instructions, our drawing of its page, and the
// facts of the key to match against.
export function ExchangeStep({ view, step }: { view: WizardView; step: ExchangeStepId }) {
  const guideStep = view.guide.steps.find((s) => s.id === step);
  const keyInfo = { label: view.key.label, maskedKey: view.key.maskedKey, createdAt: view.key.createdAt ? new Date(view.key.createdAt) : null };
  return (
    <div className="space-y-5">
      <p className="text-slate-800" data-testid="instructions">{guideStep?.instructions}</p>
      {step === "login" || step === "open-api-management" ? (
        <p>
          <a href={view.guide.apiManagementUrl} target="_blank" rel="noreferrer noopener" className="font-medium text-indigo-700 underline" data-testid="api-management-link">
            Open {view.guide.displayName} API Management<span className="sr-only"> (opens in a new tab)</span>
          </a>
        </p>
      ) : null}
      {step === "locate-key" || step === "delete" ? (
        <dl className="grid gap-2 rounded-md border border-indigo-200 bg-indigo-50 p-4 text-sm sm:grid-cols-3" data-testid="key-to-match">
          <div><dt className="text-slate-600">Label</dt><dd className="font-medium">{view.key.label}</dd></div>
          <div><dt className="text-slate-600">API key</dt><dd className="font-mono">{view.key.maskedKey}</dd></div>
          <div><dt className="text-slate-600">Created</dt><dd><LocalTime value={view.key.createdAt} style="date" empty="not known" /></dd></div>
        </dl>
      ) : null}
      {step === "verify" && view.guide.verification.length ? (
        <div>
          <h3 className="text-sm font-medium">{view.guide.displayName} may ask for</h3>
          <ul className="ml-5 list-disc text-sm text-slate-700">{view.guide.verification.map((v) => <li key={v}>{v}</li>)}</ul>
        </div>
      ) : null}
      <figure className="overflow-x-auto rounded-md border border-slate-200 bg-slate-50 p-3">
        <StepIllustration exchange={view.key.exchange} stepId={step} keyInfo={keyInfo} displayName={view.guide.displayName} websiteUrl={view.guide.apiManagementUrl} />
        <figcaption className="mt-2 text-xs text-slate-600">Drawing of {view.guide.displayName}&apos;s page (simplified; the real page may look slightly different).</figcaption>
      </figure>
      {step === "delete" && view.canRevokeFromHere && view.guide.selfRevoke ? (
        <div className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-4" data-testid="revoke-from-here">
          <p className="text-sm text-amber-950">{view.guide.selfRevoke.note}</p>
          <WizardForm sessionId={view.sessionId} type="revoke_from_here" label={`Revoke from here`} pendingLabel={`Asking ${view.guide.displayName}…`} variant="danger" />
        </div>
      ) : null}
    </div>
  );
}
