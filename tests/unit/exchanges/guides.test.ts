import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { StepIllustration, type IllustratedKey } from "@/components/unbind/illustrations/step-illustration";
import { genericGuide } from "@/lib/exchanges/generic-guide";
import { getAdapter } from "@/lib/exchanges/registry";
import type { ExchangeGuide, GuideStepId } from "@/lib/exchanges/types";

const STEP_IDS: GuideStepId[] = ["login", "open-api-management", "find-key-list", "locate-key", "delete", "verify", "confirm"];

// Each guide as its adapter hands it out: the folder's words with the adapter's identity.
const binanceGuide = getAdapter("binance").guide;
const okxGuide = getAdapter("okx").guide;
const bybitGuide = getAdapter("bybit").guide;

const guides: ExchangeGuide[] = [
  binanceGuide,
  okxGuide,
  bybitGuide,
  genericGuide("bitstamp", "Bitstamp", "https://www.bitstamp.net"),
  getAdapter("kucoin").guide,
  getAdapter("kraken").guide,
];

describe("unbind guides", () => {
  it.each(guides.map((guide) => [guide.exchangeId, guide] as const))("%s walks the seven steps in order", (_, guide) => {
    expect(guide.steps.map((step) => step.id)).toEqual(STEP_IDS);
    for (const step of guide.steps) {
      expect(step.title.trim()).not.toBe("");
      expect(step.instructions.trim()).not.toBe("");
    }
    expect(guide.apiManagementUrl).toMatch(/^https:\/\/\S+$/);
    expect(guide.verification.length).toBeGreaterThan(0);
    expect(guide.verification.every((v) => v.trim() !== "")).toBe(true);
    // the last step: the user comes back and MyITS asks the exchange with the stored key
    const confirm = guide.steps.at(-1)!;
    expect(confirm.title).toMatch(/^Confirm with /);
    expect(confirm.instructions).toMatch(/stored key/);
  });

  it("uses each exchange's own page names and verification", () => {
    expect(binanceGuide.apiManagementUrl).toBe("https://www.binance.com/en/my/settings/api-management");
    expect(okxGuide.apiManagementUrl).toBe("https://www.okx.com/account/my-api");
    expect(bybitGuide.apiManagementUrl).toBe("https://www.bybit.com/app/user/api-management");
    expect(binanceGuide.verification.join(" ")).toMatch(/2FA.*Email.*Passkey/s);
    expect(binanceGuide.steps[1]?.instructions).toMatch(/API Management/);
    expect(binanceGuide.steps[4]?.instructions).toMatch(/Delete all API/);
    expect(bybitGuide.steps[1]?.instructions).toMatch(/Account & Security.*API Management/);
    expect(okxGuide.steps[1]?.instructions).toMatch(/choose API\b/);
  });

  it("names the exchange its adapter declares, once, in the guide and its drawings", () => {
    for (const id of ["binance", "okx", "bybit", "kraken", "bitstamp"]) {
      const adapter = getAdapter(id);
      expect(adapter.guide).toMatchObject({ exchangeId: id, displayName: adapter.displayName, look: { name: adapter.displayName, typical: !adapter.full } });
    }
    // a generic adapter's lookup builds the generic list by constructing every ccxt class once: seconds on a loaded machine
  }, 20_000);

  it("keeps Bybit's self-delete and names the exchange in the generic guide", () => {
    expect(bybitGuide.selfRevoke?.requiresAnyOf).toEqual(["transfer", "withdraw"]);
    expect(binanceGuide.selfRevoke).toBeNull();
    expect(okxGuide.selfRevoke).toBeNull();
    const bitstamp = genericGuide("bitstamp", "Bitstamp", "https://www.bitstamp.net");
    expect(bitstamp.steps[0]?.title).toBe("Log in to Bitstamp");
    expect(bitstamp.steps[0]?.instructions).toContain("https://www.bitstamp.net");
    expect(bitstamp.steps.at(-1)?.instructions).toContain("Bitstamp");
  });
});

describe("step illustrations", () => {
  const keyInfo: IllustratedKey = { label: "MyITS bot <1>", maskedKey: "AbCd…WxYz", createdAt: new Date("2024-03-05T23:30:00Z") };
  const render = (exchange: string, stepId: GuideStepId, info = keyInfo) =>
    renderToStaticMarkup(createElement(StepIllustration, { look: getAdapter(exchange).guide.look, stepId, keyInfo: info }));

  it.each(["binance", "okx", "bybit", "kraken", "bitstamp"])("draws every step for %s as a described figure", (exchange) => {
    for (const stepId of STEP_IDS) {
      const html = render(exchange, stepId);
      expect(html.match(/<figure/g)).toHaveLength(1);
      expect(html.match(/role="img"/g)).toHaveLength(1);
      expect(html).toMatch(/role="img" aria-label="[^"]*not a screenshot[^"]*"/);
      expect(html).toMatch(/<figcaption[^>]*>[^<]*not a screenshot[^<]*<\/figcaption>/);
      // nothing focusable inside role="img", and no ids that could collide on the page
      expect(html).not.toMatch(/<(button|a|input|select|textarea)[\s>]|tabindex|\sid="/);
    }
  });

  it("shows the key's label, masked key and creation date where the user must match them", () => {
    for (const exchange of ["binance", "okx", "bybit", "kraken", "bitstamp"]) {
      const html = render(exchange, "locate-key");
      expect(html).toContain("MyITS bot &lt;1&gt;");
      expect(html).toContain("AbCd…WxYz");
      expect(html).toContain("2024-03-05");
      expect(html).toContain("Bound to MyITS");
    }
    expect(render("binance", "locate-key", { ...keyInfo, createdAt: null })).toContain("not known");
    expect(render("binance", "delete")).toContain("Delete all API");
  });

  it("names the exchange and its verification methods", () => {
    expect(render("binance", "verify")).toMatch(/Authenticator App.*Email Verification Code.*Passkey/s);
    expect(render("bybit", "open-api-management")).toMatch(/Account &amp; Security.*API Management/s);
    expect(render("bitstamp", "confirm")).toContain("MyITS checks with Bitstamp");
    expect(render("kraken", "open-api-management")).toMatch(/Security.*API/s);
    expect(render("okx", "login")).toContain("www.okx.com/account/login");
  });
});
