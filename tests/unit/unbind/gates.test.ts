import { describe, expect, it } from "vitest";
import { backupGate, evaluateGates, impactGate, notifyGate, reviewGate, securityGate } from "@/lib/unbind/gates";
import { allMet, minutesAgo, NOW } from "./fixtures";

describe("backup gate", () => {
  it("holds with a ZIP downloaded after the last sync", () => {
    expect(backupGate(allMet()).satisfied).toBe(true);
  });

  it("fails before any export finished", () => {
    const facts = allMet();
    facts.backup = { lastSyncedAt: null, latestDownload: null, declinedAt: null };
    const gate = backupGate(facts);
    expect(gate).toMatchObject({ satisfied: false, summary: expect.stringContaining("No trade export") });
    expect(gate.howTo).toMatch(/download the backup/);
  });

  it("fails when nothing was downloaded", () => {
    const facts = allMet();
    facts.backup.latestDownload = null;
    expect(backupGate(facts)).toMatchObject({ satisfied: false, summary: expect.stringContaining("downloaded") });
  });

  it("fails when the download is older than the last sync", () => {
    const facts = allMet();
    facts.backup.latestDownload = { createdAt: minutesAgo(40), downloadedAt: minutesAgo(39), complete: true, gaps: [], gapsAcceptedAt: null };
    expect(backupGate(facts)).toMatchObject({ satisfied: false, summary: expect.stringContaining("older") });
  });

  it("fails on a backup whose coverage lists gaps, until the user accepts them", () => {
    const facts = allMet();
    const gaps = ["40 markets not asked about", "BTC: the balance (1) and the recorded movements (0.9) differ by 0.1."];
    facts.backup.latestDownload = { createdAt: minutesAgo(20), downloadedAt: minutesAgo(19), complete: false, gaps, gapsAcceptedAt: null };
    expect(backupGate(facts)).toMatchObject({ satisfied: false, summary: expect.stringContaining("2 gap(s)"), howTo: expect.stringContaining("full scan") });
    facts.backup.latestDownload.gapsAcceptedAt = minutesAgo(5);
    expect(backupGate(facts)).toMatchObject({ satisfied: true, summary: expect.stringContaining("accepted the gaps") });
  });

  it("fails on a backup made before coverage was recorded", () => {
    const facts = allMet();
    facts.backup.latestDownload = { createdAt: minutesAgo(20), downloadedAt: minutesAgo(19), complete: null, gaps: [], gapsAcceptedAt: null };
    expect(backupGate(facts)).toMatchObject({ satisfied: false, summary: expect.stringContaining("before MyITS recorded") });
  });

  it("holds on a recorded decline, even without any export", () => {
    const facts = allMet();
    facts.backup = { lastSyncedAt: null, latestDownload: null, declinedAt: minutesAgo(1) };
    expect(backupGate(facts)).toMatchObject({ satisfied: true, howTo: null });
  });
});

describe("impact gate", () => {
  it("fails until the user has reviewed the bots, even with none", () => {
    const facts = allMet();
    facts.impact = { bots: [], acknowledgedBotIds: [], reviewedAt: null };
    expect(impactGate(facts).satisfied).toBe(false);
    facts.impact.reviewedAt = NOW;
    expect(impactGate(facts)).toMatchObject({ satisfied: true, summary: "No bot uses this key." });
  });

  it("fails while a bot runs unacknowledged, naming it", () => {
    const facts = allMet();
    facts.impact.bots = [{ id: "bot1", name: "Grid BTC", status: "RUNNING" }, { id: "bot2", name: "DCA ETH", status: "STOPPED" }];
    expect(impactGate(facts)).toMatchObject({ satisfied: false, summary: "Still running: Grid BTC." });
  });

  it("holds when a running bot is acknowledged", () => {
    const facts = allMet();
    facts.impact.bots = [{ id: "bot1", name: "Grid BTC", status: "RUNNING" }];
    facts.impact.acknowledgedBotIds = ["bot1"];
    expect(impactGate(facts).satisfied).toBe(true);
  });
});

describe("security gate", () => {
  it("fails with an incomplete checklist", () => {
    const facts = allMet();
    facts.security.acknowledged = ["a"];
    expect(securityGate(facts)).toMatchObject({ satisfied: false, summary: expect.stringContaining("checklist") });
  });

  it("fails without a re-authentication, or with one older than five minutes", () => {
    const facts = allMet();
    facts.security.reauthenticatedAt = null;
    expect(securityGate(facts).satisfied).toBe(false);
    facts.security.reauthenticatedAt = minutesAgo(5.01);
    expect(securityGate(facts)).toMatchObject({ satisfied: false, howTo: expect.stringContaining("password") });
    facts.security.reauthenticatedAt = minutesAgo(4.99);
    expect(securityGate(facts).satisfied).toBe(true);
  });

  it("does not accept a re-authentication dated in the future", () => {
    const facts = allMet();
    facts.security.reauthenticatedAt = new Date(NOW.getTime() + 60_000);
    expect(securityGate(facts).satisfied).toBe(false);
  });
});

describe("notify gate", () => {
  it("fails before anything was sent", () => {
    const facts = allMet();
    facts.notify = { enabledTargets: 2, deliveries: [], sentAt: null, noneNeededAt: null };
    expect(notifyGate(facts)).toMatchObject({ satisfied: false, howTo: expect.stringContaining("Send") });
  });

  it("fails while a delivery failed or is pending", () => {
    const facts = allMet();
    facts.notify.deliveries = [{ status: "DELIVERED" }, { status: "FAILED" }];
    expect(notifyGate(facts)).toMatchObject({ satisfied: false, summary: "1 of 2 notification(s) not delivered." });
    facts.notify.deliveries = [{ status: "PENDING" }];
    expect(notifyGate(facts).satisfied).toBe(false);
  });

  it("fails when sent to nobody", () => {
    const facts = allMet();
    facts.notify.deliveries = [];
    expect(notifyGate(facts).satisfied).toBe(false);
  });

  it("holds when every delivery arrived, or when nobody needs it", () => {
    expect(notifyGate(allMet()).satisfied).toBe(true);
    const facts = allMet();
    facts.notify = { enabledTargets: 0, deliveries: [], sentAt: null, noneNeededAt: NOW };
    expect(notifyGate(facts).satisfied).toBe(true);
  });
});

describe("review gate", () => {
  it("holds only once the review is recorded", () => {
    const facts = allMet();
    expect(reviewGate(facts).satisfied).toBe(false);
    facts.review.reviewedAt = NOW;
    expect(reviewGate(facts).satisfied).toBe(true);
  });

  it("evaluateGates judges all five", () => {
    expect(Object.keys(evaluateGates(allMet()))).toEqual(["backup", "impact", "security", "notify", "review"]);
  });
});
