import type { ExchangeGuide } from "@/lib/exchanges/types";
import { isExchangeStep, type WizardStep } from "./steps";

// Names of the wizard's steps: the precautions in our words, the exchange steps in the guide's.
// One list for the wizard's pages and the audit log, so both call a step the same.
const precautionTitles: Record<string, string> = {
  backup: "Back up your trade records",
  impact: "Bots that use this key",
  security: "Account security",
  notify: "Notify relevant parties",
  review: "Review your remaining keys",
  done: "Done",
};

export function stepTitle(step: WizardStep, guide: ExchangeGuide): string {
  if (isExchangeStep(step)) return guide.steps.find((s) => s.id === step)?.title ?? step;
  return precautionTitles[step] ?? step;
}
