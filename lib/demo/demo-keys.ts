import { simExchanges, type SimExchange, type SimKeyOptions, type SimProduct, type SimTradeOptions } from "@/lib/exchange-sim";

// The demo's exchange keys: one per situation the dashboard must show well. Times are fixed at
// the first start (stored with the keys) so the simulated trade histories stay the same.

export interface DemoKeySpec {
  slug: string;
  exchange: SimExchange;
  label: string;
  permissions: SimKeyOptions["permissions"];
  ipWhitelist: string[];
  expiresInDays: number | null;
  lastUsedDaysAgo: number | null;
  trades: Pick<SimTradeOptions, "count" | "markets" | "products">;
  /** Convert, dust and futures income history (a complete account: balances follow from its records). */
  ledger?: SimKeyOptions["ledger"];
  /** Products whose history starts this many days before the demo was first started (default: 80). */
  productStartDaysAgo?: Partial<Record<SimProduct, number>>;
  bots: { name: string; strategy: string; status: "RUNNING" | "STOPPED" }[];
}

const storyKeys: DemoKeySpec[] = [
  {
    slug: "binance-main",
    exchange: "binance",
    label: "Main trading bot",
    // its bots trade spot, cross margin and both kinds of futures
    permissions: { read: true, spotTrade: true, marginTrade: true, futuresTrade: true },
    ipWhitelist: ["127.0.0.1"],
    expiresInDays: null,
    lastUsedDaysAgo: 0,
    trades: { count: 3000, markets: 12, products: { margin: { count: 600, markets: 3 }, usdm: { count: 900, markets: 3 }, coinm: { count: 300, markets: 2 } } },
    ledger: { converts: 12, dust: 2, income: 30 },
    bots: [
      { name: "BTC grid", strategy: "grid", status: "RUNNING" },
      { name: "ETH DCA", strategy: "dca", status: "RUNNING" },
    ],
  },
  {
    // Risky on purpose: withdrawals were switched on at the exchange after it was bound.
    slug: "binance-old",
    exchange: "binance",
    label: "Old test key",
    permissions: { read: true, spotTrade: true, withdraw: true },
    ipWhitelist: [],
    expiresInDays: 10,
    lastUsedDaysAgo: 75,
    trades: { count: 400, markets: 4 },
    // a complete account: its balances follow from its records, so a full backup reconciles
    ledger: {},
    bots: [{ name: "Experiment (paused)", strategy: "momentum", status: "STOPPED" }],
  },
  {
    slug: "okx-grid",
    exchange: "okx",
    label: "OKX grid",
    permissions: { read: true, spotTrade: true },
    ipWhitelist: ["127.0.0.1"],
    expiresInDays: null,
    lastUsedDaysAgo: 1,
    // spot and margin grids, and a USDⓈ-M swap; margin fills older than 3 months come only from
    // OKX's quarterly fills archive, which the backup fetches
    trades: { count: 1500, markets: 8, products: { margin: { count: 400, markets: 2 }, usdm: { count: 500, markets: 2 } } },
    productStartDaysAgo: { margin: 200 },
    // a complete account: its balances follow from its records, so a full backup reconciles
    ledger: {},
    bots: [{ name: "SOL grid", strategy: "grid", status: "RUNNING" }],
  },
  {
    slug: "bybit-dca",
    exchange: "bybit",
    label: "Bybit DCA",
    permissions: { read: true, spotTrade: true, transfer: true },
    ipWhitelist: [],
    expiresInDays: 60,
    lastUsedDaysAgo: 3,
    trades: { count: 1000, markets: 6 },
    // a complete account: its balances follow from its records, so a full backup reconciles
    ledger: {},
    bots: [{ name: "Weekly DCA", strategy: "dca", status: "RUNNING" }],
  },
  {
    slug: "kucoin-spot",
    exchange: "kucoin",
    label: "KuCoin spot bot",
    permissions: { read: true, spotTrade: true, marginTrade: true },
    ipWhitelist: ["127.0.0.1"],
    expiresInDays: null,
    lastUsedDaysAgo: 2,
    // spot and cross margin fills, inside the 3 months KuCoin's API serves
    trades: { count: 800, markets: 4, products: { spot: { count: 800, markets: 4 }, margin: { count: 200, markets: 2 } } },
    bots: [{ name: "KuCoin grid", strategy: "grid", status: "RUNNING" }],
  },
  {
    slug: "gate-dca",
    exchange: "gate",
    label: "Gate DCA",
    permissions: { read: true, spotTrade: true },
    ipWhitelist: [],
    expiresInDays: null,
    lastUsedDaysAgo: 4,
    // spot and isolated margin trades, inside the 365 days Gate's API serves
    trades: { count: 600, markets: 3, products: { spot: { count: 600, markets: 3 }, isolated_margin: { count: 150, markets: 1 } } },
    bots: [{ name: "Gate weekly DCA", strategy: "dca", status: "RUNNING" }],
  },
  {
    slug: "bitget-futures",
    exchange: "bitget",
    label: "Bitget futures bot",
    permissions: { read: true, spotTrade: true, futuresTrade: true },
    ipWhitelist: ["127.0.0.1"],
    expiresInDays: null,
    lastUsedDaysAgo: 1,
    // spot and USDT-M futures fills, inside the 90 days Bitget's API serves
    trades: { count: 700, markets: 3, products: { spot: { count: 700, markets: 3 }, usdm: { count: 400, markets: 2 } } },
    bots: [{ name: "Bitget BTC perp grid", strategy: "grid", status: "RUNNING" }],
  },
  {
    // a CDP key (key name + EC private key); Coinbase reports neither its IP allowlist nor its expiry
    slug: "coinbase-dca",
    exchange: "coinbase",
    label: "Coinbase DCA",
    permissions: { read: true, spotTrade: true },
    ipWhitelist: ["127.0.0.1"],
    expiresInDays: null,
    lastUsedDaysAgo: 1,
    // spot and INTX perpetual fills, both from the one fills endpoint
    trades: { count: 700, markets: 4, products: { spot: { count: 700, markets: 4 }, usdm: { count: 150, markets: 1 } } },
    bots: [{ name: "Coinbase BTC DCA", strategy: "dca", status: "RUNNING" }],
  },
  {
    slug: "kraken-margin",
    exchange: "kraken",
    label: "Kraken swing bot",
    permissions: { read: true, spotTrade: true, marginTrade: true },
    ipWhitelist: ["127.0.0.1"],
    expiresInDays: 120,
    lastUsedDaysAgo: 1,
    // spot and margin trades, which Kraken's TradesHistory serves together, 50 a page; kept small
    // because MyITS paces them by Kraken's strictest counter (2 a page, 0.33 a second back)
    trades: { count: 300, markets: 3, products: { spot: { count: 300, markets: 3 }, margin: { count: 60, markets: 2 } } },
    bots: [{ name: "Kraken swing", strategy: "momentum", status: "RUNNING" }],
  },
];

/**
 * The demo's keys: the stories above, and one plain read + spot key on every other exchange the
 * simulator speaks, so an exchange added as two folders (docs/adding-an-exchange.md) shows in the
 * demo without a line here.
 */
export const demoKeySpecs: DemoKeySpec[] = [
  ...storyKeys,
  ...simExchanges()
    .filter((exchange) => !storyKeys.some((spec) => spec.exchange === exchange))
    .map(
      (exchange): DemoKeySpec => ({
        slug: `${exchange}-demo`,
        exchange,
        label: "MyITS demo bot",
        permissions: { read: true, spotTrade: true },
        ipWhitelist: ["127.0.0.1"],
        expiresInDays: null,
        lastUsedDaysAgo: 2,
        trades: { count: 500, markets: 4 },
        ledger: {},
        bots: [{ name: "Demo grid", strategy: "grid", status: "RUNNING" }],
      }),
    ),
];
