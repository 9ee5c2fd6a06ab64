// Balances, deposits and withdrawals consistent with a key's trade history, so an exporter can
// derive candidate markets from them as it must on Binance (no endpoint lists traded symbols).
// A few traded markets are deliberately left without any trace here ("hidden"): only a full
// scan of all symbols finds them.

import { assetUsdUnits, type MarketSpec } from "./catalogue";
import { HashStream, hashInts, pick } from "./hash";
import { pow10 } from "./decimal";
import { DAY_MS } from "./trades";

/** All account amounts use 8 decimals, as Binance shows them. */
export const AMOUNT_SCALE = 8;

export interface Holding {
  asset: string;
  free: bigint;
  locked: bigint;
}

export interface Transfer {
  /** 0-based ordinal within the key's deposits or withdrawals, oldest first. */
  ordinal: number;
  asset: string;
  amount: bigint;
  fee: bigint;
  time: number;
  network: string;
  address: string;
  txId: string;
}

export interface AccountFacts {
  holdings: Holding[];
  deposits: Transfer[];
  withdrawals: Transfer[];
  /** Indices (into the history's market list) of markets with no trace in the account. */
  hiddenMarkets: number[];
  visibleAssets: string[];
}

const STABLE = new Set(["USDT", "USDC", "FDUSD"]);

const NETWORKS: Record<string, string> = {
  BTC: "BTC",
  ETH: "ETH",
  BNB: "BSC",
  SOL: "SOL",
  XRP: "XRP",
  ADA: "ADA",
  DOGE: "DOGE",
  DOT: "DOT",
  LTC: "LTC",
  TRX: "TRX",
  ATOM: "ATOM",
  XLM: "XLM",
  TON: "TON",
  USDT: "TRX",
  USDC: "ETH",
};

export function networkOf(asset: string): string {
  return NETWORKS[asset] ?? "BSC";
}

function pickHidden(markets: MarketSpec[]): number[] {
  if (markets.length < 4) return [];
  const wanted = Math.max(1, Math.floor(markets.length / 5));
  const hidden: number[] = [];
  for (let m = markets.length - 1; m >= 0 && hidden.length < wanted; m--) {
    const spec = markets[m];
    if (!spec || STABLE.has(spec.base)) continue;
    const seenElsewhere = markets.some(
      (o, k) => k !== m && !hidden.includes(k) && (o.base === spec.base || o.quote === spec.base),
    );
    if (!seenElsewhere) hidden.push(m);
  }
  return hidden.sort((a, b) => a - b);
}

/** Amount worth about `usd` dollars of `asset`, at AMOUNT_SCALE. */
function worth(asset: string, usd: number): bigint {
  const price = assetUsdUnits(asset, AMOUNT_SCALE);
  return (BigInt(usd) * pow10(2 * AMOUNT_SCALE)) / (price === 0n ? 1n : price);
}

export function buildAccount(seed: number, markets: MarketSpec[], startTime: number, endTime: number): AccountFacts {
  const hiddenMarkets = pickHidden(markets);
  const visible = new Set<string>();
  markets.forEach((m, k) => {
    if (hiddenMarkets.includes(k)) return;
    visible.add(m.base);
    visible.add(m.quote);
  });
  const visibleAssets = [...visible].sort();
  const stream = new HashStream(hashInts(seed, 0xacc));
  const holdings: Holding[] = [];
  const deposits: Omit<Transfer, "ordinal">[] = [];
  const withdrawals: Omit<Transfer, "ordinal">[] = [];
  const span = Math.max(1, endTime - startTime);

  const transfer = (asset: string, usd: number, time: number): Omit<Transfer, "ordinal"> => ({
    asset,
    amount: worth(asset, usd),
    fee: STABLE.has(asset) ? 1n * pow10(AMOUNT_SCALE) : worth(asset, 1),
    time,
    network: networkOf(asset),
    address: networkOf(asset) === "ETH" || networkOf(asset) === "BSC" ? `0x${stream.chars("0123456789abcdef", 40)}` : stream.chars("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 34),
    txId: `${networkOf(asset) === "ETH" || networkOf(asset) === "BSC" ? "0x" : ""}${stream.chars("0123456789abcdef", 64)}`,
  });

  for (const asset of visibleAssets) {
    const role = pick(hashInts(seed, visibleAssets.indexOf(asset), 0x401e), 4);
    if (STABLE.has(asset) || !markets.some((m) => m.base === asset)) {
      // Quote money: funded by deposits, some of which are older than 90 days.
      holdings.push({ asset, free: worth(asset, 200 + stream.below(5000)), locked: 0n });
      const n = 2 + stream.below(3);
      for (let k = 0; k < n; k++) {
        const time = startTime - 20 * DAY_MS + Math.floor(((k + stream.below(100) / 100) * (span + 20 * DAY_MS)) / n);
        deposits.push(transfer(asset, 500 + stream.below(10_000), Math.min(time, endTime)));
      }
    } else if (role === 0) {
      // Sold out and withdrawn: only the withdrawal shows the asset.
      holdings.push({ asset, free: 0n, locked: 0n });
      withdrawals.push(transfer(asset, 50 + stream.below(2000), endTime - stream.below(Math.min(span, 60 * DAY_MS))));
    } else {
      const free = worth(asset, 20 + stream.below(2000));
      holdings.push({ asset, free, locked: role === 3 ? free / 10n : 0n });
      if (role === 1) deposits.push(transfer(asset, 100 + stream.below(3000), startTime + stream.below(span)));
    }
  }
  const byTime = (a: { time: number }, b: { time: number }) => a.time - b.time;
  return {
    holdings,
    deposits: deposits.sort(byTime).map((d, ordinal) => ({ ...d, ordinal })),
    withdrawals: withdrawals.sort(byTime).map((w, ordinal) => ({ ...w, ordinal })),
    hiddenMarkets,
    visibleAssets,
  };
}
