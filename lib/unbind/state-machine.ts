import { gateIds, gatePage, type GateId, type GateStatus } from "./gates";
import { nextStepAfter, stepIndex, type WizardStep } from "./steps";

// Every move of an unbind session, validated before the server does anything: which step may
// follow which, and which gates must hold. Pure: the services in lib/unbind call `decide` with
// the session as stored and the gates as judged from the database, and refuse what it refuses.

export type SessionStatus = "ACTIVE" | "COMPLETED" | "CANCELLED";

export interface MachineState {
  status: SessionStatus;
  step: WizardStep;
}

export type MachineAction =
  | { type: "goto"; to: WizardStep }
  /** Recording evidence for a gate (backup declined, bots acknowledged, checklist, notify). */
  | { type: "record"; gate: Exclude<GateId, "review"> }
  | { type: "stop_bots" }
  /** Asking the exchange whether the key is gone. */
  | { type: "confirm" }
  /** The exchange answered "revoked": destroy the secret and finish. */
  | { type: "complete" }
  /** Ask the exchange to delete the key with the key itself, where it allows that. */
  | { type: "revoke_from_here" }
  /** Finish without the exchange's word, after it stayed unreachable. */
  | { type: "force"; lastConfirmOutcome: string | null; reauthFresh: boolean }
  /**
   * Finish on the user's re-authenticated word where the exchange cannot prove a deletion
   * (`provable`: the adapter's error table can say "this key does not exist").
   */
  | { type: "acknowledge_unprovable"; provable: boolean; lastConfirmOutcome: string | null; reauthFresh: boolean }
  | { type: "finish_review" }
  | { type: "cancel" };

export type Decision =
  | { ok: true; state: MachineState }
  | { ok: false; code: "GATE_NOT_MET"; gate: GateId; message: string }
  | { ok: false; code: "ILLEGAL"; message: string };

const LAST_ACTIVE_STEP: WizardStep = "confirm";
const SECURITY_RECHECKED_AT: WizardStep = "delete";

function illegal(message: string): Decision {
  return { ok: false, code: "ILLEGAL", message };
}

/**
 * Gates that must hold to enter `step`: every gate whose page lies behind it. The security gate
 * is time-bound (a re-authentication lasts five minutes), so it is judged when leaving its page
 * and again when entering the delete step, not on every step in between.
 */
export function gatesRequiredFor(step: WizardStep): GateId[] {
  return gateIds.filter((id) =>
    id === "security" ? step === "notify" || step === SECURITY_RECHECKED_AT : stepIndex(step) > stepIndex(gatePage[id]),
  );
}


export function firstUnmetGate(step: WizardStep, gates: Record<GateId, GateStatus>): GateStatus | null {
  for (const id of gatesRequiredFor(step)) if (!gates[id].satisfied) return gates[id];
  return null;
}

function refuseUnmet(unmet: GateStatus): Decision {
  return { ok: false, code: "GATE_NOT_MET", gate: unmet.id, message: `Not yet: ${unmet.summary} ${unmet.howTo ?? ""}`.trim() };
}

export function decide(state: MachineState, action: MachineAction, gates: Record<GateId, GateStatus>): Decision {
  if (action.type === "finish_review") {
    if (state.status !== "COMPLETED" || state.step !== "review") return illegal("There is nothing to review until the key is confirmed gone.");
    return { ok: true, state: { status: "COMPLETED", step: "done" } };
  }
  if (state.status === "COMPLETED") return illegal("This unbind is complete: the key is gone and its secret destroyed.");
  if (state.status === "CANCELLED") return illegal("This unbind was cancelled. Start again from the key.");

  switch (action.type) {
    case "cancel":
      return { ok: true, state: { status: "CANCELLED", step: state.step } };
    case "record":
    case "stop_bots":
      return { ok: true, state };
    case "goto": {
      const to = action.to;
      if (stepIndex(to) < 0 || stepIndex(to) > stepIndex(LAST_ACTIVE_STEP)) return illegal("That step comes only after the exchange confirms the key is gone.");
      if (stepIndex(to) <= stepIndex(state.step)) return { ok: true, state: { ...state, step: to } };
      if (to !== nextStepAfter(state.step)) return illegal("Steps are taken in order: finish the current step first.");
      const unmet = firstUnmetGate(to, gates);
      return unmet ? refuseUnmet(unmet) : { ok: true, state: { ...state, step: to } };
    }
    case "confirm":
      if (state.step !== "confirm") return illegal("Delete the key on the exchange and reach the last step before asking it.");
      return { ok: true, state };
    case "complete": {
      if (state.step !== "confirm") return illegal("Only the confirmation step can complete an unbind.");
      const unmet = firstUnmetGate("review", gates);
      return unmet ? refuseUnmet(unmet) : { ok: true, state: { status: "COMPLETED", step: "review" } };
    }
    case "revoke_from_here": {
      if (stepIndex(state.step) < stepIndex("delete") || stepIndex(state.step) > stepIndex("confirm")) {
        return illegal("Revoking from here is offered at the delete step.");
      }
      const unmet = firstUnmetGate("delete", gates);
      return unmet ? refuseUnmet(unmet) : { ok: true, state: { ...state, step: "confirm" } };
    }
    case "acknowledge_unprovable": {
      if (state.step !== "confirm") return illegal("The acknowledgement is given at the confirmation step.");
      if (action.provable) return illegal("This exchange says whether a key is deleted: the unbind completes when it confirms.");
      if (action.lastConfirmOutcome === null) return illegal("Ask the exchange first: MyITS checks whether the key still works before taking your word.");
      if (action.lastConfirmOutcome === "valid") return illegal("The exchange still accepts this key: delete it there, then check again.");
      if (!action.reauthFresh) return { ok: false, code: "GATE_NOT_MET", gate: "security", message: "Confirm your password (and authenticator code) first." };
      const unmet = firstUnmetGate("review", gates);
      return unmet ? refuseUnmet(unmet) : { ok: true, state: { status: "COMPLETED", step: "review" } };
    }
    case "force": {
      if (state.step !== "confirm") return illegal("A forced unbind is only possible at the confirmation step.");
      if (action.lastConfirmOutcome !== "unreachable") return illegal("A forced unbind is only possible after the exchange could not be reached.");
      if (!action.reauthFresh) return { ok: false, code: "GATE_NOT_MET", gate: "security", message: "Confirm your password (and authenticator code) first." };
      const unmet = firstUnmetGate("review", gates);
      return unmet ? refuseUnmet(unmet) : { ok: true, state: { status: "COMPLETED", step: "review" } };
    }
  }
}
