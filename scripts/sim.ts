// npm run sim [-- --empty]: start the local exchange simulator (Binance, OKX and Bybit dialects
// on one origin), print the EXCHANGE_ORIGIN_* variables that point the app at it, and create a
// few sample keys unless --empty. Listens on SIM_PORT or PORT (default 4010), 127.0.0.1 only.

import { SIM_EXCHANGES, startExchangeSim, type SimKey, type SimKeyOptions } from "../lib/exchange-sim";

const DAY = 86_400_000;

function portFromEnv(): number {
  const raw = process.env.SIM_PORT ?? process.env.PORT ?? "4010";
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`Invalid SIM_PORT/PORT: ${raw}`);
    process.exit(2);
  }
  return port;
}

const SAMPLES: SimKeyOptions[] = [
  { exchange: "binance", label: "MyITS bot (read + spot)", trades: { count: 5000, markets: 8 } },
  {
    exchange: "binance",
    label: "Old key with withdrawals",
    permissions: { withdraw: true, transfer: true },
    createdAt: new Date(Date.now() - 400 * DAY),
    trades: { count: 800, markets: 5 },
  },
  {
    // every product a complete backup covers, with balances that follow from the records
    exchange: "binance",
    label: "Complete account (spot, margin, futures, convert, dust)",
    permissions: { marginTrade: true, futuresTrade: true },
    trades: {
      count: 3000,
      markets: 6,
      products: { margin: { count: 800, markets: 3 }, isolated_margin: { count: 200, markets: 2 }, usdm: { count: 1500, markets: 4 }, coinm: { count: 400, markets: 2 } },
    },
    ledger: { converts: 30, dust: 4, income: 150, delisted: 1 },
  },
  { exchange: "okx", label: "MyITS OKX bot", ipWhitelist: ["127.0.0.1"], trades: { count: 1500, markets: 5 } },
  { exchange: "gate", label: "MyITS Gate bot", ipWhitelist: ["127.0.0.1"], trades: { count: 1200, markets: 4 } },
  { exchange: "kucoin", label: "MyITS KuCoin bot", permissions: { marginTrade: true }, ipWhitelist: ["127.0.0.1"], trades: { count: 1200, markets: 4, products: { spot: { count: 1200, markets: 4 }, margin: { count: 300, markets: 2 } } } },
  {
    exchange: "bybit",
    label: "MyITS Bybit bot",
    permissions: { transfer: true },
    expiresAt: new Date(Date.now() + 20 * DAY),
    trades: { count: 1500, markets: 5 },
  },
];

function describe(k: SimKey): string {
  const perms = Object.entries(k.permissions)
    .filter(([, on]) => on)
    .map(([p]) => p)
    .join(",");
  return [
    `  ${k.exchange.padEnd(8)} ${k.label}`,
    `    apiKey:     ${k.apiKey}`,
    `    secret:     ${k.secret}`,
    ...(k.passphrase ? [`    passphrase: ${k.passphrase}`] : []),
    `    permissions: ${perms}; IPs: ${k.ipWhitelist.join(",") || "any"}; expires: ${k.expiresAt?.toISOString() ?? "never"}`,
  ].join("\n");
}

async function main(): Promise<void> {
  const empty = process.argv.includes("--empty");
  const sim = await startExchangeSim({ host: process.env.SIM_HOST ?? "127.0.0.1", port: portFromEnv() });
  console.log(`SIMULATED exchange (Binance, OKX, Bybit, KuCoin, Gate dialects) listening on ${sim.origin}`);
  console.log(`Admin page: ${sim.adminUrl}`);
  console.log(`  (JSON interface: send Authorization: Bearer ${sim.adminToken})\n`);
  console.log("Point the app at it with:");
  for (const id of SIM_EXCHANGES) console.log(`  EXCHANGE_ORIGIN_${id.toUpperCase()}=${sim.origin}`);
  if (!empty) {
    console.log("\nSample keys (fake; they work only against this simulator):");
    for (const o of SAMPLES) console.log(describe(sim.createKey(o)));
  }
  console.log("\nCtrl-C to stop.");
  const stop = () => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
