// Exact decimals as scaled BigInts. Amounts are produced as integers of smallest units and turned
// into strings here, never through a float: the strings are the exchange's exact values and the
// ground truth a backup must reproduce byte for byte.

const TEN = 10n;

export function pow10(n: number): bigint {
  return TEN ** BigInt(n);
}

/** Canonical form: no exponent, no trailing zeros, no trailing dot ("0.0012", "15", "0"). */
export function toPlain(units: bigint, scale: number): string {
  const s = toFixed(units, scale, scale);
  if (!s.includes(".")) return s;
  const trimmed = s.replace(/0+$/, "").replace(/\.$/, "");
  return trimmed === "-0" ? "0" : trimmed;
}

/** Exactly `digits` decimals; rounds half away from zero when digits < scale. */
export function toFixed(units: bigint, scale: number, digits: number): string {
  const v = rescale(units, scale, digits);
  const negative = v < 0n;
  const abs = negative ? -v : v;
  let out: string;
  if (digits === 0) {
    out = abs.toString();
  } else {
    const raw = abs.toString().padStart(digits + 1, "0");
    out = `${raw.slice(0, -digits)}.${raw.slice(-digits)}`;
  }
  return negative && abs !== 0n ? `-${out}` : out;
}

/** Change the scale of a value; reducing it rounds half away from zero. */
export function rescale(units: bigint, from: number, to: number): bigint {
  if (to >= from) return units * pow10(to - from);
  const div = pow10(from - to);
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const q = abs / div;
  const r = abs % div;
  const rounded = r * 2n >= div ? q + 1n : q;
  return negative ? -rounded : rounded;
}

/** Parse a plain decimal string ("123.4500", "-0.1") into units at its own scale. */
export function parseDecimal(s: string): { units: bigint; scale: number } {
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) throw new Error(`not a plain decimal: ${s}`);
  const frac = m[3] ?? "";
  const units = BigInt(`${m[2]}${frac}`);
  return { units: m[1] ? -units : units, scale: frac.length };
}

/** Number of digits before the decimal point of a positive value (0 for values below 1). */
export function integerDigits(units: bigint, scale: number): number {
  const int = units / pow10(scale);
  return int === 0n ? 0 : int.toString().length;
}

/** Position of the first significant digit after the point (0.05 -> 2); 0 for values >= 1. */
export function leadingFractionZeros(units: bigint, scale: number): number {
  if (units >= pow10(scale)) return 0;
  const digits = units.toString().length;
  return scale - digits + 1;
}
