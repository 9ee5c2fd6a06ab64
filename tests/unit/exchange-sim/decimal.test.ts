import { describe, expect, it } from "vitest";
import { parseDecimal, rescale, toFixed, toPlain } from "@/lib/exchange-sim/decimal";

describe("scaled decimals", () => {
  it("prints canonical strings without floats", () => {
    expect(toPlain(123450n, 4)).toBe("12.345");
    expect(toPlain(100n, 2)).toBe("1");
    expect(toPlain(5n, 8)).toBe("0.00000005");
    expect(toPlain(0n, 8)).toBe("0");
    expect(toPlain(-75n, 9)).toBe("-0.000000075");
    expect(toPlain(12n, 0)).toBe("12");
    // beyond float precision: every digit survives
    expect(toPlain(123456789012345678901234567n, 18)).toBe("123456789.012345678901234567");
  });

  it("pads and rounds half away from zero", () => {
    expect(toFixed(4000001n, 6, 8)).toBe("4.00000100");
    expect(toFixed(123456789n, 10, 8)).toBe("0.01234568");
    expect(toFixed(123456785n, 10, 8)).toBe("0.01234568");
    expect(toFixed(123456784n, 10, 8)).toBe("0.01234568");
    expect(toFixed(123456744n, 10, 8)).toBe("0.01234567");
    expect(toFixed(-15n, 1, 0)).toBe("-2");
    expect(toFixed(-4n, 9, 8)).toBe("0.00000000");
    expect(toFixed(7n, 0, 2)).toBe("7.00");
  });

  it("rescales exactly upwards and rounds downwards", () => {
    expect(rescale(15n, 1, 3)).toBe(1500n);
    expect(rescale(1549n, 3, 1)).toBe(15n);
    expect(rescale(1550n, 3, 1)).toBe(16n);
  });

  it("parses plain decimals and round-trips", () => {
    for (const s of ["0", "1", "0.00012", "67250.15", "-3.5", "123456789.000000001"]) {
      const { units, scale } = parseDecimal(s);
      expect(toPlain(units, scale)).toBe(s);
    }
    expect(() => parseDecimal("1e-7")).toThrow();
  });
});
