import { Button } from "@/components/ui/button";
import type { SupportedExchange } from "@/lib/exchanges/registry";
import { startUnbindAction } from "./actions";

// Before the wizard: what it will do, and why the user is unbinding (moving to another exchange
// carries the bots over to a new key at the end).
export function StartUnbind({ binding, exchanges }: { binding: { id: string; label: string; exchangeName: string; maskedKey: string }; exchanges: SupportedExchange[] }) {
  return (
    <form action={startUnbindAction} className="space-y-5 rounded-lg border border-slate-200 bg-white p-6" data-testid="start-unbind">
      <input type="hidden" name="bindingId" value={binding.id} />
      <p className="text-slate-700">
        The wizard walks you through deleting “{binding.label}” ({binding.maskedKey}) on {binding.exchangeName}. First four precautions: a backup of
        your trades, the bots that use the key, your account&apos;s security, and who to tell. Then the steps on {binding.exchangeName}, and finally
        MyITS asks {binding.exchangeName} itself whether the key is gone before it destroys its stored copy. You can stop and come back at any time.
      </p>
      <fieldset className="space-y-2">
        <legend className="font-medium">Why are you unbinding this key?</legend>
        {[
          ["cleanup", "Cleaning up: I no longer need this key"],
          ["transfer", "Moving to another exchange"],
          ["leaving", "I am stopping using MyITS"],
          ["compromised", "I think the key leaked"],
        ].map(([value, text], i) => (
          <label key={value} className="flex items-center gap-2 text-sm">
            <input type="radio" name="reason" value={value} defaultChecked={i === 0} /> {text}
          </label>
        ))}
      </fieldset>
      <div className="space-y-1">
        <label htmlFor="targetExchange" className="block text-sm font-medium">If moving: the exchange you are moving to</label>
        <select id="targetExchange" name="targetExchange" className="rounded-md border border-slate-300 px-3 py-2 text-sm" defaultValue="">
          <option value="">(not moving)</option>
          {exchanges.map((e) => <option key={e.id} value={e.id}>{e.displayName}</option>)}
        </select>
      </div>
      <Button type="submit">Start the unbind wizard</Button>
    </form>
  );
}
