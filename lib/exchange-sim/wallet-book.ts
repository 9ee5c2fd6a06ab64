// The wallet split every complete account uses: records' effects per wallet, then one synthetic
// deposit per asset (into the funding wallet, before the history starts) that covers every
// outflow plus a cushion. A non-funding wallet holds its own records' effects plus what was
// moved in to pay its outflows (internal transfers are not records: they change no total); the
// funding wallet keeps the rest, so no wallet is ever negative and totals equal the effects.

export type Effect = [asset: string, units: bigint];

/** Adds each effect to its asset's total. */
export function addEffects(into: Map<string, bigint>, effects: Effect[]): void {
  for (const [asset, v] of effects) into.set(asset, (into.get(asset) ?? 0n) + v);
}

export class WalletBook {
  private readonly net = new Map<string, Map<string, bigint>>();
  private readonly out = new Map<string, Map<string, bigint>>();

  constructor(readonly fundingWallet: string) {
    this.touch(fundingWallet);
  }

  touch(wallet: string): void {
    if (!this.net.has(wallet)) {
      this.net.set(wallet, new Map());
      this.out.set(wallet, new Map());
    }
  }

  apply(wallet: string, effects: Effect[]): void {
    this.touch(wallet);
    const net = this.net.get(wallet)!;
    const out = this.out.get(wallet)!;
    for (const [a, v] of effects) {
      net.set(a, (net.get(a) ?? 0n) + v);
      if (v < 0n) out.set(a, (out.get(a) ?? 0n) - v);
    }
  }

  /** The synthetic deposit each asset needs: every outflow of every wallet plus the cushion. */
  fundingNeeds(cushion: (asset: string) => bigint): [asset: string, amount: bigint][] {
    const total = new Map<string, bigint>();
    for (const m of this.out.values()) for (const [a, v] of m) total.set(a, (total.get(a) ?? 0n) + v);
    return [...total].filter(([, v]) => v > 0n).sort(([a], [b]) => a.localeCompare(b)).map(([a, v]) => [a, v + cushion(a)]);
  }

  /** Balances per wallet, after the synthetic deposits were applied to the funding wallet. */
  wallets(): Map<string, Map<string, bigint>> {
    const result = new Map<string, Map<string, bigint>>();
    const funding = new Map(this.net.get(this.fundingWallet));
    for (const [w, m] of this.net) {
      if (w === this.fundingWallet) continue;
      const bal = new Map<string, bigint>();
      for (const [a, v] of m) {
        const moved = this.out.get(w)!.get(a) ?? 0n;
        bal.set(a, v + moved);
        funding.set(a, (funding.get(a) ?? 0n) - moved);
      }
      result.set(w, bal);
    }
    result.set(this.fundingWallet, funding);
    return result;
  }
}
