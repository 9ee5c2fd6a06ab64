import type { ExchangeGuide } from "@/lib/exchanges/types";
import type { StepState } from "@/lib/unbind/step-progress";
import { exchangeSteps, precautionSteps, type WizardStep } from "@/lib/unbind/steps";
import { stepTitle } from "./step-titles";

// Where the user is: the four precautions, the exchange's seven steps, and the review. Each mark
// is what the server knows (lib/unbind/step-progress.ts): the delete step keeps no tick until the
// exchange confirmed the key is gone.
const marks: Record<StepState, { icon: string; said: string | null; className: string }> = {
  done: { icon: "✓", said: "done", className: "text-slate-700" },
  current: { icon: "›", said: null, className: "font-semibold text-indigo-800" },
  todo: { icon: "", said: null, className: "text-slate-600" },
  awaiting: { icon: "…", said: "not confirmed by the exchange yet", className: "text-amber-900" },
  lapsed: { icon: "!", said: "no longer holds: go back to it", className: "text-amber-900" },
  unconfirmed: { icon: "?", said: "never confirmed by the exchange", className: "text-amber-900" },
};

function Item({ step, state, guide, number }: { step: WizardStep; state: StepState; guide: ExchangeGuide; number?: number }) {
  const mark = marks[state];
  return (
    <li aria-current={state === "current" ? "step" : undefined} className={`flex gap-2 text-sm ${mark.className}`} data-step={step} data-state={state}>
      <span aria-hidden="true" className="w-4 shrink-0">{mark.icon}</span>
      <span>
        {number ? `${number}. ` : ""}
        {stepTitle(step, guide)}
        {mark.said ? <span className={state === "done" ? "sr-only" : "block text-xs"}>{state === "done" ? ` (${mark.said})` : mark.said}</span> : null}
      </span>
    </li>
  );
}

export function Stepper({ progress, guide }: { progress: Record<WizardStep, StepState>; guide: ExchangeGuide }) {
  return (
    <nav aria-label="Unbind steps" className="space-y-3" data-testid="stepper">
      <div>
        <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-600">Precautions</h2>
        <ol className="mt-1 space-y-1">{precautionSteps.map((step) => <Item key={step} step={step} state={progress[step]} guide={guide} />)}</ol>
      </div>
      <div>
        <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-600">On {guide.displayName}</h2>
        <ol className="mt-1 space-y-1">{exchangeSteps.map((step, i) => <Item key={step} step={step} state={progress[step]} guide={guide} number={i + 1} />)}</ol>
      </div>
      <ol className="space-y-1"><Item step="review" state={progress.review} guide={guide} /></ol>
    </nav>
  );
}
