import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhookSignature } from "@/lib/notify/webhook-signature";

const SECRET = "whsec_test-secret";
const BODY = JSON.stringify({ id: "evt_1", type: "key.unbind_planned", data: { label: "Main", maskedKey: "AbCd…WxYz" } });
const T = 1_790_000_000;

describe("webhook signatures", () => {
  it("verifies what it signed", () => {
    const header = signWebhook(SECRET, BODY, T);
    expect(header).toMatch(/^t=1790000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(header, BODY, SECRET, { nowSec: T + 10 })).toEqual({ ok: true });
  });

  it("refuses a changed body or another secret", () => {
    const header = signWebhook(SECRET, BODY, T);
    expect(verifyWebhookSignature(header, BODY.replace("Main", "Mine"), SECRET, { nowSec: T })).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyWebhookSignature(header, BODY, "whsec_other", { nowSec: T })).toEqual({ ok: false, reason: "mismatch" });
  });

  it("binds the timestamp into the signature", () => {
    const header = signWebhook(SECRET, BODY, T).replace(`t=${T}`, `t=${T + 1}`);
    expect(verifyWebhookSignature(header, BODY, SECRET, { nowSec: T })).toEqual({ ok: false, reason: "mismatch" });
  });

  it("refuses stale and future timestamps outside the tolerance", () => {
    const header = signWebhook(SECRET, BODY, T);
    expect(verifyWebhookSignature(header, BODY, SECRET, { nowSec: T + 301 })).toEqual({ ok: false, reason: "stale" });
    expect(verifyWebhookSignature(header, BODY, SECRET, { nowSec: T - 301 })).toEqual({ ok: false, reason: "future" });
    expect(verifyWebhookSignature(header, BODY, SECRET, { nowSec: T + 30, toleranceSec: 10 })).toEqual({ ok: false, reason: "stale" });
  });

  it("refuses malformed headers", () => {
    for (const header of [null, "", "v1=abc", `t=${T}`, `t=soon,v1=${"a".repeat(64)}`, `t=${T},v1=XYZ`]) {
      expect(verifyWebhookSignature(header, BODY, SECRET, { nowSec: T }), String(header)).toEqual({ ok: false, reason: "malformed" });
    }
  });

  it("accepts any of several v1 signatures (secret rotation)", () => {
    const good = signWebhook(SECRET, BODY, T).split(",")[1];
    expect(verifyWebhookSignature(`t=${T},v1=${"0".repeat(64)},${good}`, BODY, SECRET, { nowSec: T })).toEqual({ ok: true });
  });
});
