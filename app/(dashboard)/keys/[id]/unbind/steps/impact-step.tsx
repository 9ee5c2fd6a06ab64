import type { WizardView } from "@/lib/unbind/wizard-view";
import { WizardForm } from "../wizard-form";

export function ImpactStep({ view }: { view: WizardView }) {
  const running = view.bots.filter((bot) => bot.status === "RUNNING");
  return (
    <div className="space-y-5">
      <p className="text-slate-700">
        Every bot that trades with this key stops working the moment the key is deleted, possibly in the middle of a position. Stop them here
        first, or acknowledge that they will stop.
      </p>
      {view.bots.length === 0 ? (
        <p className="text-slate-700" data-testid="no-bots">No bot uses this key.</p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-md border border-slate-200" aria-label="Bots using this key" data-testid="bots">
          {view.bots.map((bot) => (
            <li key={bot.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3" data-bot={bot.name} data-status={bot.status}>
              <span>
                <span className="font-medium">{bot.name}</span>{" "}
                <span className={bot.status === "RUNNING" ? "text-emerald-800" : "text-slate-600"}>({bot.status === "RUNNING" ? "running" : "stopped"})</span>
                {bot.acknowledged && bot.status === "RUNNING" ? <span className="text-slate-600"> · acknowledged</span> : null}
              </span>
              {bot.status === "RUNNING" && view.status === "ACTIVE" ? (
                <WizardForm sessionId={view.sessionId} type="stop_bots" fields={{ botIds: bot.id }} label={`Stop ${bot.name}`} pendingLabel="Stopping…" variant="secondary" />
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {view.status === "ACTIVE" ? (
        <WizardForm sessionId={view.sessionId} type="acknowledge_impact" label={view.bots.length ? "I understand the impact" : "I have checked"} testId="acknowledge-impact">
          {running.length ? (
            <fieldset className="space-y-2">
              <legend className="text-sm font-medium">Leave running and let them stop when the key goes:</legend>
              {running.map((bot) => (
                <label key={bot.id} className="flex items-center gap-2 text-sm">
                  <input type="checkbox" name="botIds" value={bot.id} defaultChecked={bot.acknowledged} /> {bot.name} will stop working
                </label>
              ))}
            </fieldset>
          ) : null}
        </WizardForm>
      ) : null}
    </div>
  );
}
