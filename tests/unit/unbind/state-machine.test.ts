import { describe, expect, it } from "vitest";
import { evaluateGates, type GateFacts } from "@/lib/unbind/gates";
import { decide, gatesRequiredFor, type MachineAction, type MachineState } from "@/lib/unbind/state-machine";
import { wizardSteps, type WizardStep } from "@/lib/unbind/steps";
import { allMet } from "./fixtures";

const active = (step: WizardStep): MachineState => ({ status: "ACTIVE", step });
const run = (state: MachineState, action: MachineAction, facts: GateFacts = allMet()) => decide(state, action, evaluateGates(facts));

function breaking(gate: "backup" | "impact" | "security" | "notify"): GateFacts {
  const facts = allMet();
  if (gate === "backup") facts.backup.latestDownload = null;
  if (gate === "impact") facts.impact.reviewedAt = null;
  if (gate === "security") facts.security.reauthenticatedAt = null;
  if (gate === "notify") facts.notify.sentAt = null;
  return facts;
}

describe("the path", () => {
  it("walks every step from backup to confirm when the gates hold", () => {
    let state = active("backup");
    for (const to of wizardSteps.slice(1, wizardSteps.indexOf("confirm") + 1)) {
      const decision = run(state, { type: "goto", to });
      expect(decision, `entering ${to}`).toMatchObject({ ok: true });
      if (decision.ok) state = decision.state;
    }
    expect(state).toEqual(active("confirm"));
  });

  it("refuses to skip a step, even with every gate met", () => {
    expect(run(active("backup"), { type: "goto", to: "security" })).toMatchObject({ ok: false, code: "ILLEGAL" });
    expect(run(active("login"), { type: "goto", to: "confirm" })).toMatchObject({ ok: false, code: "ILLEGAL" });
  });

  it("allows going back to an earlier step", () => {
    expect(run(active("locate-key"), { type: "goto", to: "backup" })).toEqual({ ok: true, state: active("backup") });
  });

  it("never enters review or done by a goto", () => {
    expect(run(active("confirm"), { type: "goto", to: "review" })).toMatchObject({ ok: false, code: "ILLEGAL" });
    expect(run(active("confirm"), { type: "goto", to: "done" })).toMatchObject({ ok: false, code: "ILLEGAL" });
  });
});

describe("gates before each step", () => {
  it("each precaution must hold to leave its own page", () => {
    expect(gatesRequiredFor("impact")).toEqual(["backup"]);
    expect(gatesRequiredFor("security")).toEqual(["backup", "impact"]);
    expect(gatesRequiredFor("notify")).toEqual(["backup", "impact", "security"]);
    expect(run(active("backup"), { type: "goto", to: "impact" }, breaking("backup"))).toMatchObject({ ok: false, code: "GATE_NOT_MET", gate: "backup" });
    expect(run(active("impact"), { type: "goto", to: "security" }, breaking("impact"))).toMatchObject({ ok: false, gate: "impact" });
    expect(run(active("security"), { type: "goto", to: "notify" }, breaking("security"))).toMatchObject({ ok: false, gate: "security" });
  });

  it("backup, impact and notify guard the first exchange step", () => {
    expect(gatesRequiredFor("login")).toEqual(["backup", "impact", "notify"]);
    for (const gate of ["backup", "impact", "notify"] as const) {
      expect(run(active("notify"), { type: "goto", to: "login" }, breaking(gate))).toMatchObject({ ok: false, code: "GATE_NOT_MET", gate });
    }
  });

  it("all four precautions guard the delete step, security judged again there", () => {
    expect(gatesRequiredFor("delete")).toEqual(["backup", "impact", "security", "notify"]);
    for (const gate of ["backup", "impact", "security", "notify"] as const) {
      expect(run(active("locate-key"), { type: "goto", to: "delete" }, breaking(gate))).toMatchObject({ ok: false, code: "GATE_NOT_MET", gate });
    }
  });

  it("judges the time-bound security gate only on leaving its page and at the delete step", () => {
    expect(gatesRequiredFor("login")).not.toContain("security");
    expect(gatesRequiredFor("verify")).not.toContain("security");
    expect(run(active("notify"), { type: "goto", to: "login" }, breaking("security"))).toMatchObject({ ok: true });
    expect(run(active("delete"), { type: "goto", to: "verify" }, breaking("security"))).toMatchObject({ ok: true });
  });

  it("the first page needs no gate, and going back needs none", () => {
    expect(gatesRequiredFor("backup")).toEqual([]);
    const nothing = breaking("backup");
    nothing.impact.reviewedAt = null;
    expect(run(active("confirm"), { type: "goto", to: "backup" }, nothing)).toMatchObject({ ok: true });
  });

  it("the refusal says what is missing and how to satisfy it", () => {
    const decision = run(active("notify"), { type: "goto", to: "login" }, breaking("backup"));
    expect(decision.ok).toBe(false);
    if (!decision.ok) expect(decision.message).toMatch(/No backup of this key has been downloaded\. Export .* download the backup/);
  });
});

describe("confirming and completing", () => {
  it("asks the exchange only from the confirm step", () => {
    expect(run(active("verify"), { type: "confirm" })).toMatchObject({ ok: false, code: "ILLEGAL" });
    expect(run(active("confirm"), { type: "confirm" })).toMatchObject({ ok: true });
  });

  it("completes only from the confirm step, into the review", () => {
    expect(run(active("delete"), { type: "complete" })).toMatchObject({ ok: false, code: "ILLEGAL" });
    expect(run(active("confirm"), { type: "complete" })).toEqual({ ok: true, state: { status: "COMPLETED", step: "review" } });
  });

  it("does not complete when a gate broke after it was passed (a bot restarted)", () => {
    const facts = allMet();
    facts.impact.bots = [{ id: "bot1", name: "Grid BTC", status: "RUNNING" }];
    expect(run(active("confirm"), { type: "complete" }, facts)).toMatchObject({ ok: false, gate: "impact" });
  });

  it("revoke from here is offered from the delete step on, behind the delete gates", () => {
    expect(run(active("locate-key"), { type: "revoke_from_here" })).toMatchObject({ ok: false, code: "ILLEGAL" });
    expect(run(active("delete"), { type: "revoke_from_here" })).toEqual({ ok: true, state: active("confirm") });
    expect(run(active("delete"), { type: "revoke_from_here" }, breaking("security"))).toMatchObject({ ok: false, gate: "security" });
  });

  it("forces only after an unreachable answer, with a fresh re-authentication", () => {
    const force = (lastConfirmOutcome: string | null, reauthFresh: boolean) => ({ type: "force" as const, lastConfirmOutcome, reauthFresh });
    expect(run(active("confirm"), force(null, true))).toMatchObject({ ok: false, code: "ILLEGAL" });
    expect(run(active("confirm"), force("valid", true))).toMatchObject({ ok: false, code: "ILLEGAL" });
    expect(run(active("confirm"), force("ambiguous", true))).toMatchObject({ ok: false, code: "ILLEGAL" });
    expect(run(active("verify"), force("unreachable", true))).toMatchObject({ ok: false, code: "ILLEGAL" });
    expect(run(active("confirm"), force("unreachable", false))).toMatchObject({ ok: false, gate: "security" });
    expect(run(active("confirm"), force("unreachable", true))).toEqual({ ok: true, state: { status: "COMPLETED", step: "review" } });
  });

  it("completes on the user's word only where the exchange cannot prove a deletion, after a check that did not find the key working, re-authenticated", () => {
    const ack = (provable: boolean, lastConfirmOutcome: string | null, reauthFresh: boolean) => ({ type: "acknowledge_unprovable" as const, provable, lastConfirmOutcome, reauthFresh });
    expect(run(active("confirm"), ack(true, "ambiguous", true))).toMatchObject({ ok: false, code: "ILLEGAL" });
    expect(run(active("confirm"), ack(false, null, true))).toMatchObject({ ok: false, code: "ILLEGAL" });
    expect(run(active("confirm"), ack(false, "valid", true))).toMatchObject({ ok: false, code: "ILLEGAL" });
    expect(run(active("verify"), ack(false, "ambiguous", true))).toMatchObject({ ok: false, code: "ILLEGAL" });
    expect(run(active("confirm"), ack(false, "ambiguous", false))).toMatchObject({ ok: false, gate: "security" });
    expect(run(active("confirm"), ack(false, "ambiguous", true), breaking("notify"))).toMatchObject({ ok: false, gate: "notify" });
    expect(run(active("confirm"), ack(false, "ambiguous", true))).toEqual({ ok: true, state: { status: "COMPLETED", step: "review" } });
    expect(run(active("confirm"), ack(false, "unreachable", true))).toEqual({ ok: true, state: { status: "COMPLETED", step: "review" } });
  });
});

describe("finished and cancelled sessions", () => {
  const completed: MachineState = { status: "COMPLETED", step: "review" };
  const cancelled: MachineState = { status: "CANCELLED", step: "impact" };

  it("cancels an active session at any step", () => {
    for (const step of ["backup", "delete", "confirm"] as const) {
      expect(run(active(step), { type: "cancel" })).toEqual({ ok: true, state: { status: "CANCELLED", step } });
    }
  });

  it("refuses every change to a completed session except finishing the review", () => {
    for (const action of [{ type: "cancel" }, { type: "confirm" }, { type: "goto", to: "backup" }, { type: "record", gate: "notify" }, { type: "stop_bots" }] as MachineAction[]) {
      expect(run(completed, action), action.type).toMatchObject({ ok: false, code: "ILLEGAL" });
    }
    expect(run(completed, { type: "finish_review" })).toEqual({ ok: true, state: { status: "COMPLETED", step: "done" } });
    expect(run({ status: "COMPLETED", step: "done" }, { type: "finish_review" })).toMatchObject({ ok: false });
  });

  it("refuses everything on a cancelled session", () => {
    for (const action of [{ type: "cancel" }, { type: "goto", to: "impact" }, { type: "record", gate: "backup" }, { type: "finish_review" }, { type: "complete" }] as MachineAction[]) {
      expect(run(cancelled, action), action.type).toMatchObject({ ok: false, code: "ILLEGAL" });
    }
  });

  it("an active session cannot finish a review it has not reached", () => {
    expect(run(active("confirm"), { type: "finish_review" })).toMatchObject({ ok: false, code: "ILLEGAL" });
  });
});
