import { describe, expect, it } from "vitest";
import { krakenSignature } from "@/lib/exchange-sim/kraken/auth";
import { KrakenCounter } from "@/lib/exchange-sim/kraken/limits";
import { krakenCredentials, krakenPairId } from "@/lib/exchange-sim/kraken/listing";

describe("the simulated Kraken", () => {
  it("signs as Kraken's documentation does (its example: buy 1.25 XBTUSD at 37,500)", () => {
    const secret = "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";
    const body = "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25";
    expect(krakenSignature(secret, "/0/private/AddOrder", "1616492376594", body)).toBe("4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==");
  });

  it("makes keys shaped like Kraken's: a 56-character key, a base64 secret of 64 bytes", () => {
    let n = 0;
    const chars = (alphabet: string, count: number) => Array.from({ length: count }, () => alphabet[n++ % alphabet.length]).join("");
    const { apiKey, secret } = krakenCredentials(chars);
    expect(apiKey).toMatch(/^[A-Za-z0-9+/]{56}$/);
    expect(secret).toHaveLength(88);
    expect(Buffer.from(secret, "base64").toString("base64")).toBe(secret);
    expect(Buffer.from(secret, "base64")).toHaveLength(64);
  });

  it("names pairs as Kraken's AssetPairs does", () => {
    expect(krakenPairId({ base: "ETH", quote: "BTC" })).toBe("XETHXXBT");
    expect(krakenPairId({ base: "BTC", quote: "USDT" })).toBe("XBTUSDT");
    expect(krakenPairId({ base: "DOGE", quote: "USDT" })).toBe("XDGUSDT");
    expect(krakenPairId({ base: "SOL", quote: "BTC" })).toBe("SOLXBT");
  });

  it("counts calls on a decaying counter and refuses one that would go over, at no cost", () => {
    const counter = new KrakenCounter({ max: 15, decayPerSecond: 0.33 });
    for (let i = 0; i < 7; i++) expect(counter.spend("k", 2, 0)).toBe(true);
    expect(counter.spend("k", 2, 0)).toBe(false);
    expect(counter.spend("k", 1, 0)).toBe(true);
    expect(counter.spend("k", 1, 0)).toBe(false);
    // 1 decays in about 3 s
    expect(counter.spend("k", 1, 3100)).toBe(true);
    expect(counter.spend("other", 2, 0)).toBe(true);
    expect(new KrakenCounter(undefined).spend("k", 1000, 0)).toBe(true);
  });
});
