import { ReauthForm } from "@/components/reauth-form";
import { Field } from "@/components/ui/field";
import { LocalTime } from "@/components/ui/local-time";
import { StepIllustration } from "@/components/unbind/illustrations/step-illustration";
import { FORCE_ACKNOWLEDGEMENT, UNPROVABLE_ACKNOWLEDGEMENT } from "@/lib/unbind/schemas";
import type { WizardView } from "@/lib/unbind/wizard-view";
import { WizardForm } from "../wizard-form";

const outcomeText = {
  revoked: "gone",
  valid: "the key still works",
  ambiguous: "unclear answer",
  unreachable: "no answer",
} as const;

export function ConfirmStep({ view, totpEnabled }: { view: WizardView; totpEnabled: boolean }) {
  const last = view.lastConfirmation;
  const keyInfo = { label: view.key.label, maskedKey: view.key.maskedKey, createdAt: view.key.createdAt ? new Date(view.key.createdAt) : null };
  return (
    <div className="space-y-5">
      <p className="text-slate-800">{view.guide.steps.find((s) => s.id === "confirm")?.instructions}</p>
      {!view.canProveDeletion ? (
        <p className="rounded-md border border-amber-200 bg-amber-50 p-4 text-sm text-amber-950" data-testid="cannot-prove">
          MyITS cannot prove that the key is deleted on {view.guide.displayName}.{" "}
          {view.unprovableBecause
            ? `${view.unprovableBecause}, so a refusal does not show that the key is gone`
            : `It has no full adapter for ${view.guide.displayName}, so it cannot tell a deleted key from a restricted one`}
          : this unbind completes only on your word.
        </p>
      ) : null}
      <WizardForm sessionId={view.sessionId} type="confirm" label={last ? `Check with ${view.guide.displayName} again` : `Check with ${view.guide.displayName}`}
        pendingLabel={`Asking ${view.guide.displayName}…`} testId="confirm-form" answerShownElsewhere />
      {last ? (
        <div className={`rounded-md border p-4 text-sm ${last.outcome === "valid" ? "border-red-200 bg-red-50 text-red-900" : "border-amber-200 bg-amber-50 text-amber-950"}`}
          data-testid="last-answer" data-outcome={last.outcome}>
          <p className="font-medium">Last answer (<LocalTime value={last.at} style="time-seconds" />): {outcomeText[last.outcome]}</p>
          <p>{last.message}</p>
        </div>
      ) : null}
      {!view.canProveDeletion && last && last.outcome !== "valid" ? (
        <div className="space-y-4 rounded-md border border-slate-200 p-4" data-testid="acknowledge-unprovable">
          <h3 className="text-sm font-medium">I deleted the key on {view.guide.displayName}</h3>
          <p className="text-sm text-slate-700">
            Confirm it with your password and the sentence below. MyITS then unbinds the key and records your statement in the audit log. For a week it keeps the
            secret sealed and asks {view.guide.displayName} with it every few hours: if the key still answers, you are told (audit log and your webhooks). When
            the week ends the stored secret is destroyed.
          </p>
          {!view.reauthValidUntil ? <ReauthForm totpEnabled={totpEnabled} /> : null}
          <WizardForm sessionId={view.sessionId} type="acknowledge_unprovable" label="Unbind on my word" variant="danger" disabled={!view.reauthValidUntil}>
            <Field label={`Type “${UNPROVABLE_ACKNOWLEDGEMENT}”`} name="acknowledgement" autoComplete="off" />
          </WizardForm>
        </div>
      ) : null}
      {last?.outcome === "unreachable" ? (
        <details className="rounded-md border border-slate-200 p-4" data-testid="force-unbind">
          <summary className="cursor-pointer text-sm font-medium">{view.guide.displayName} stays unreachable: unbind anyway</summary>
          <div className="mt-3 space-y-4">
            <p className="text-sm text-slate-700">
              MyITS cannot check that the key is gone. Only do this if you deleted it on {view.guide.displayName} yourself: MyITS will destroy its stored
              copy and record your statement in the audit log. If the key still exists, it keeps working for anyone who has it.
            </p>
            {!view.reauthValidUntil ? <ReauthForm totpEnabled={totpEnabled} /> : null}
            <WizardForm sessionId={view.sessionId} type="force_unbind" label="Unbind without confirmation" variant="danger" disabled={!view.reauthValidUntil}
              describedBy={view.reauthValidUntil ? undefined : "force-needs-reauth"}>
              <Field label={`Type “${FORCE_ACKNOWLEDGEMENT}”`} name="acknowledgement" autoComplete="off" />
            </WizardForm>
            {!view.reauthValidUntil ? <p id="force-needs-reauth" className="text-sm text-amber-900">Confirm it is you above first: unbinding without confirmation needs a fresh password confirmation.</p> : null}
          </div>
        </details>
      ) : null}
      <figure className="overflow-x-auto rounded-md border border-slate-200 bg-slate-50 p-3">
        <StepIllustration look={view.guide.look} stepId="confirm" keyInfo={keyInfo} />
        <figcaption className="mt-2 text-xs text-slate-600">What MyITS does: it asks {view.guide.displayName} with the stored key whether the key still exists.</figcaption>
      </figure>
    </div>
  );
}
