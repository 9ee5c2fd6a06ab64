import { ReauthForm } from "@/components/reauth-form";
import { nextStepAfter, wizardSteps, type WizardStep } from "@/lib/unbind/steps";
import type { WizardView } from "@/lib/unbind/wizard-view";
import { stepTitle } from "./step-titles";
import { WizardForm } from "./wizard-form";

// Back, Continue (disabled, with the reason, while a gate is not met) and Cancel.
export function WizardNav({ view, totpEnabled }: { view: WizardView; totpEnabled: boolean }) {
  const next = nextStepAfter(view.step);
  const previous: WizardStep | undefined = wizardSteps[wizardSteps.indexOf(view.step as (typeof wizardSteps)[number]) - 1];
  const canContinue = next !== null && next !== "review" && next !== "done";
  return (
    <div className="space-y-4 border-t border-slate-200 pt-4">
      <div className="flex flex-wrap items-start gap-4">
        {previous ? (
          <WizardForm sessionId={view.sessionId} type="goto" fields={{ to: previous }} label="Back" variant="secondary" />
        ) : null}
        {canContinue ? (
          <div className="space-y-2">
            <WizardForm sessionId={view.sessionId} type="goto" fields={{ to: next }} label={`Continue: ${stepTitle(next, view.guide)}`}
              disabled={view.blockedBy !== null} describedBy={view.blockedBy ? "blocked-reason" : undefined} testId="continue" />
            {view.blockedBy ? (
              <p id="blocked-reason" className="max-w-xl text-sm text-amber-900" data-testid="blocked-reason">
                Not yet: {view.blockedBy.summary} {view.blockedBy.howTo}
              </p>
            ) : null}
            {view.blockedBy?.id === "security" && view.step !== "security" && view.checklist.every((item) => item.acknowledged) ? (
              <div className="max-w-md rounded-md border border-slate-200 p-4">
                <ReauthForm totpEnabled={totpEnabled} />
              </div>
            ) : null}
          </div>
        ) : null}
      </div>
      <details className="text-sm">
        <summary className="cursor-pointer text-slate-700">Cancel this unbind</summary>
        <div className="mt-2 space-y-2">
          <p className="text-slate-700">The key stays bound and keeps working. What you recorded so far stays in the audit log.</p>
          <WizardForm sessionId={view.sessionId} type="cancel" label="Cancel unbind" variant="secondary" testId="cancel-unbind" />
        </div>
      </details>
    </div>
  );
}
