import { ReauthForm } from "@/components/reauth-form";
import { LocalTime } from "@/components/ui/local-time";
import type { WizardView } from "@/lib/unbind/wizard-view";
import { WizardForm } from "../wizard-form";

export function SecurityStep({ view, totpEnabled }: { view: WizardView; totpEnabled: boolean }) {
  const checklistDone = view.checklist.every((item) => item.acknowledged);
  return (
    <div className="space-y-5">
      <p className="text-slate-700">
        Deleting a key is done on {view.key.exchangeName} with that account&apos;s own password and second factor. Check that you can, and confirm it
        is really you here: the password confirmation counts for 5 minutes and is checked again when you reach the delete step.
      </p>
      <section aria-labelledby="checklist-heading" className="space-y-3 rounded-md border border-slate-200 p-4">
        <h3 id="checklist-heading" className="font-medium">Your {view.key.exchangeName} account {checklistDone ? <span className="text-emerald-800">· done</span> : null}</h3>
        <WizardForm sessionId={view.sessionId} type="acknowledge_security" label="Save checklist" variant="secondary" testId="security-checklist">
          <fieldset className="space-y-2">
            <legend className="sr-only">Checklist</legend>
            {view.checklist.map((item) => (
              <label key={item.id} className="flex items-start gap-2 text-sm">
                <input type="checkbox" name="items" value={item.id} defaultChecked={item.acknowledged} className="mt-1" /> {item.text}
              </label>
            ))}
          </fieldset>
        </WizardForm>
      </section>
      <section aria-labelledby="reauth-heading" className="space-y-3 rounded-md border border-slate-200 p-4" data-testid="reauth">
        <h3 id="reauth-heading" className="font-medium">Confirm it is you</h3>
        {view.reauthValidUntil ? (
          <p className="text-sm text-emerald-800" data-testid="reauth-valid">Confirmed until <LocalTime value={view.reauthValidUntil} style="time" />.</p>
        ) : null}
        <ReauthForm totpEnabled={totpEnabled} />
      </section>
    </div>
  );
}
