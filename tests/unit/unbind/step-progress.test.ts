import { describe, expect, it } from "vitest";
import { evaluateGates } from "@/lib/unbind/gates";
import { stepProgress, type ProgressFacts } from "@/lib/unbind/step-progress";
import { allMet, minutesAgo } from "./fixtures";

function facts(overrides: Partial<ProgressFacts> = {}): ProgressFacts {
  return { step: "confirm", status: "ACTIVE", gates: evaluateGates(allMet()), revoked: false, forced: false, ...overrides };
}

describe("stepProgress", () => {
  it("leaves delete and verification open while the exchange has not confirmed", () => {
    const progress = stepProgress(facts());
    expect(progress).toMatchObject({ backup: "done", impact: "done", security: "done", notify: "done" });
    expect(progress).toMatchObject({ login: "done", "open-api-management": "done", "find-key-list": "done", "locate-key": "done" });
    expect(progress).toMatchObject({ delete: "awaiting", verify: "awaiting", confirm: "current", review: "todo" });
  });

  it("ticks them once the exchange says the key is gone", () => {
    const progress = stepProgress(facts({ step: "review", revoked: true }));
    expect(progress).toMatchObject({ delete: "done", verify: "done", confirm: "done", review: "current" });
    expect(stepProgress(facts({ step: "done", status: "COMPLETED", revoked: true })).review).toBe("done");
  });

  it("never ticks them for an unbind forced without the exchange's answer", () => {
    expect(stepProgress(facts({ step: "review", status: "COMPLETED", forced: true }))).toMatchObject({ delete: "unconfirmed", confirm: "unconfirmed" });
  });

  it("shows a precaution whose gate ran out as lapsed, not done", () => {
    const expired = allMet();
    expired.security.reauthenticatedAt = minutesAgo(30);
    const progress = stepProgress(facts({ step: "locate-key", gates: evaluateGates(expired) }));
    expect(progress).toMatchObject({ security: "lapsed", notify: "done", "find-key-list": "done", "locate-key": "current", delete: "todo" });
    // ...but once the unbind is over, what held when it mattered stays done
    expect(stepProgress(facts({ step: "done", status: "COMPLETED", revoked: true, gates: evaluateGates(expired) })).security).toBe("done");
  });

  it("marks nothing ahead of the current step, even a gate that already holds", () => {
    const progress = stepProgress(facts({ step: "backup" }));
    expect(progress.backup).toBe("current");
    expect(progress.impact).toBe("todo");
    expect(progress.login).toBe("todo");
  });
});
