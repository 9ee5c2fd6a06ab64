import type { GuideStepId } from "@/lib/exchanges/types";

// The wizard's path, the same on every exchange: the four precautions first (each is a page
// of its own), then the exchange's seven steps, then the review. Only the words of the exchange
// steps differ per exchange (lib/exchanges/<id>/guide.ts).

export const precautionSteps = ["backup", "impact", "security", "notify"] as const;
export const exchangeSteps = ["login", "open-api-management", "find-key-list", "locate-key", "delete", "verify", "confirm"] as const satisfies readonly GuideStepId[];

export type PrecautionStep = (typeof precautionSteps)[number];
export type ExchangeStep = (typeof exchangeSteps)[number];
/** "review" comes after the exchange confirmed the key is gone; "done" once the review is read. */
export type WizardStep = PrecautionStep | ExchangeStep | "review" | "done";

export const wizardSteps = [...precautionSteps, ...exchangeSteps, "review", "done"] as const satisfies readonly WizardStep[];

export function isWizardStep(value: string): value is WizardStep {
  return (wizardSteps as readonly string[]).includes(value);
}

export function stepIndex(step: WizardStep): number {
  return (wizardSteps as readonly WizardStep[]).indexOf(step);
}

export function nextStepAfter(step: WizardStep): WizardStep | null {
  return wizardSteps[stepIndex(step) + 1] ?? null;
}

export function isExchangeStep(step: WizardStep): step is ExchangeStep {
  return (exchangeSteps as readonly string[]).includes(step);
}
