import type { GateId, GateStatus } from "./gates";
import { exchangeSteps, precautionSteps, stepIndex, wizardSteps, type WizardStep } from "./steps";

// What the stepper may claim about each step, from what the server knows, not from how far the
// user clicked: a precaution is done while its gate holds (a re-authentication can run out); the
// delete and verification steps are done only once the exchange confirmed the key is gone, however
// far the user went; the exchange's other steps are done once the user moved past them (only the
// user can know, and saying so is what "Continue" means there).
// A pure function, so each of these claims has a unit test (tests/unit/unbind/step-progress.test.ts).

export type StepState =
  | "done"
  | "current"
  | "todo"
  /** passed, but the exchange has not confirmed yet */
  | "awaiting"
  /** passed, but its gate no longer holds */
  | "lapsed"
  /** the user unbound without the exchange's confirmation */
  | "unconfirmed";

export interface ProgressFacts {
  step: WizardStep;
  status: "ACTIVE" | "COMPLETED" | "CANCELLED";
  gates: Record<GateId, GateStatus>;
  /** The exchange answered that the key is gone. */
  revoked: boolean;
  forced: boolean;
}

const needsConfirmation: ReadonlySet<WizardStep> = new Set(["delete", "verify", "confirm"]);

export function stepProgress(facts: ProgressFacts): Record<WizardStep, StepState> {
  const here = stepIndex(facts.step);
  const progress = {} as Record<WizardStep, StepState>;
  for (const step of wizardSteps) {
    const passed = stepIndex(step) < here || (step === "review" && facts.step === "done");
    if (step === facts.step && step !== "done") progress[step] = "current";
    else if ((precautionSteps as readonly WizardStep[]).includes(step)) {
      // Once the unbind is over, a gate that held when it was needed stays done (a re-authentication
      // running out afterwards changes nothing).
      const holds = facts.gates[step as GateId].satisfied || facts.status !== "ACTIVE";
      progress[step] = !passed ? "todo" : holds ? "done" : "lapsed";
    } else if (needsConfirmation.has(step)) {
      progress[step] = facts.revoked ? "done" : facts.forced ? "unconfirmed" : passed ? "awaiting" : "todo";
    } else if ((exchangeSteps as readonly WizardStep[]).includes(step)) {
      progress[step] = passed ? "done" : "todo";
    } else {
      progress[step] = passed ? "done" : "todo";
    }
  }
  return progress;
}
