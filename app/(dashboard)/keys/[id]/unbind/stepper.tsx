import type { ExchangeGuide } from "@/lib/exchanges/types";
import { exchangeSteps, precautionSteps, stepIndex, type WizardStep } from "@/lib/unbind/steps";
import { stepTitle } from "./step-titles";

// Where the user is: the four precautions, the exchange's seven steps, and the review.
function Item({ step, current, guide, number }: { step: WizardStep; current: WizardStep; guide: ExchangeGuide; number?: number }) {
  const done = stepIndex(step) < stepIndex(current);
  const here = step === current;
  return (
    <li aria-current={here ? "step" : undefined} className={`flex gap-2 text-sm ${here ? "font-semibold text-indigo-800" : done ? "text-slate-700" : "text-slate-500"}`}>
      <span aria-hidden="true" className="w-4">{done ? "✓" : here ? "›" : ""}</span>
      <span>
        {number ? `${number}. ` : ""}
        {stepTitle(step, guide)}
        {done ? <span className="sr-only"> (done)</span> : null}
      </span>
    </li>
  );
}

export function Stepper({ current, guide }: { current: WizardStep; guide: ExchangeGuide }) {
  return (
    <nav aria-label="Unbind steps" className="space-y-3">
      <div>
        <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-600">Precautions</h2>
        <ol className="mt-1 space-y-1">{precautionSteps.map((step) => <Item key={step} step={step} current={current} guide={guide} />)}</ol>
      </div>
      <div>
        <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-600">On {guide.displayName}</h2>
        <ol className="mt-1 space-y-1">{exchangeSteps.map((step, i) => <Item key={step} step={step} current={current} guide={guide} number={i + 1} />)}</ol>
      </div>
      <ol className="space-y-1"><Item step="review" current={current} guide={guide} /></ol>
    </nav>
  );
}
