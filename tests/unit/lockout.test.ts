import { describe, expect, it } from "vitest";
import {
  BACKOFF_MAX_MS,
  backoffDelayMs,
  ceilingMayApply,
  decideAttempt,
  EMAIL_CEILING_FAILURES,
  EMAIL_CEILING_SPACING_MS,
  FAILURE_MEMORY_MS,
  type AttemptFacts,
} from "@/lib/auth/lockout";

const now = new Date("2026-11-23T12:00:00Z");
const secondsAgo = (s: number) => new Date(now.getTime() - s * 1000);
const facts = (failures: number, lastSecondsAgo: number, more: Partial<AttemptFacts> = {}): AttemptFacts => ({
  client: { failures, lastAttemptAt: secondsAgo(lastSecondsAgo) },
  knownClient: false,
  emailFailures: 0,
  ...more,
});

describe("backoff per (email, client)", () => {
  it("lets a client fail five times without waiting", () => {
    expect(decideAttempt({ client: null, knownClient: false, emailFailures: 0 }, now)).toEqual({ allowed: true, failures: 1 });
    for (let failures = 1; failures < 5; failures++) {
      expect(decideAttempt(facts(failures, 0), now)).toEqual({ allowed: true, failures: failures + 1 });
    }
  });

  it("then makes it wait 30 s, doubling with each further failure, never more than 15 minutes", () => {
    expect([4, 5, 6, 7, 8].map(backoffDelayMs)).toEqual([0, 30_000, 60_000, 120_000, 240_000]);
    expect(backoffDelayMs(9)).toBe(480_000);
    expect(backoffDelayMs(10)).toBe(BACKOFF_MAX_MS);
    expect(backoffDelayMs(50)).toBe(BACKOFF_MAX_MS);
  });

  it("refuses until the wait is over, and allows exactly at its end", () => {
    expect(decideAttempt(facts(6, 59), now)).toEqual({ allowed: false, retryAt: new Date(secondsAgo(59).getTime() + 60_000), why: "client_backoff" });
    expect(decideAttempt(facts(6, 60), now)).toEqual({ allowed: true, failures: 7 });
  });

  it("forgets a client's failures after a day without attempts", () => {
    expect(decideAttempt(facts(12, FAILURE_MEMORY_MS / 1000), now)).toEqual({ allowed: true, failures: 1 });
    expect(decideAttempt(facts(12, FAILURE_MEMORY_MS / 1000 - 1, { knownClient: true }), now)).toEqual({ allowed: true, failures: 13 });
  });

  it("waits the same for a known client as for any other: its own failures slow it, nobody else's", () => {
    expect(decideAttempt(facts(5, 10, { knownClient: true }), now)).toMatchObject({ allowed: false, why: "client_backoff" });
  });
});

describe("the email's ceiling across clients", () => {
  const underAttack = { emailFailures: EMAIL_CEILING_FAILURES };

  it("spaces an unknown client's attempts 30 s apart once the email collected 20 failures", () => {
    expect(decideAttempt(facts(1, 10, underAttack), now)).toEqual({
      allowed: false,
      retryAt: new Date(secondsAgo(10).getTime() + EMAIL_CEILING_SPACING_MS),
      why: "email_ceiling",
    });
    expect(decideAttempt(facts(1, 30, underAttack), now)).toEqual({ allowed: true, failures: 2 });
    expect(decideAttempt(facts(1, 10, { emailFailures: EMAIL_CEILING_FAILURES - 1 }), now)).toEqual({ allowed: true, failures: 2 });
  });

  it("never delays an unknown client's first attempt, nor any attempt beyond 30 s, however many failures there are", () => {
    expect(decideAttempt({ client: null, knownClient: false, emailFailures: 10_000 }, now)).toEqual({ allowed: true, failures: 1 });
    expect(decideAttempt(facts(2, 30, { emailFailures: 10_000 }), now).allowed).toBe(true);
  });

  it("does not touch a client that signed in before (the owner's own device) or a live session", () => {
    expect(decideAttempt(facts(1, 1, { ...underAttack, knownClient: true }), now)).toEqual({ allowed: true, failures: 2 });
  });
});

describe("when the email's facts are needed", () => {
  it("asks for them only where the ceiling could change the decision", () => {
    const records = [null, ...[0, 1, 10, 29.999, 30, 31, 600, 86_400].flatMap((s) => [1, 4, 5, 7].map((failures) => ({ failures, lastAttemptAt: secondsAgo(s) })))];
    for (const record of records) {
      const attacked = decideAttempt({ client: record, knownClient: false, emailFailures: 10_000 }, now);
      const neutral = decideAttempt({ client: record, knownClient: true, emailFailures: 0 }, now);
      if (!ceilingMayApply(record, now)) expect(attacked, JSON.stringify(record)).toEqual(neutral);
    }
    expect(ceilingMayApply({ failures: 1, lastAttemptAt: secondsAgo(10) }, now)).toBe(true);
    expect(ceilingMayApply(null, now)).toBe(false);
  });
});
