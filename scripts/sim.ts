// npm run sim [-- --empty]: start the local exchange simulator (every dialect in
// lib/exchange-sim/dialects.ts on one origin), print the EXCHANGE_ORIGIN_* variables that point the app at it, and create a
// few sample keys unless --empty. Listens on SIM_PORT or PORT (default 4010), 127.0.0.1 only.

import { exchangeEnvName } from "../lib/env";
import { dialectOf, simExchanges, startExchangeSim, type SimKey, type SimKeyOptions } from "../lib/exchange-sim";

function portFromEnv(): number {
  const raw = process.env.SIM_PORT ?? process.env.PORT ?? "4010";
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`Invalid SIM_PORT/PORT: ${raw}`);
    process.exit(2);
  }
  return port;
}

// Each dialect's sample keys (lib/exchange-sim/<id>/index.ts).
const SAMPLES: SimKeyOptions[] = simExchanges().flatMap((exchange) => dialectOf(exchange).samples.map((sample) => ({ ...sample, exchange })));

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
  console.log(`SIMULATED exchange (${simExchanges().map((id) => dialectOf(id).name).join(", ")} dialects) listening on ${sim.origin}`);
  console.log(`Admin page: ${sim.adminUrl}`);
  console.log(`  (JSON interface: send Authorization: Bearer ${sim.adminToken})\n`);
  console.log("Point the app at it with:");
  for (const id of simExchanges()) console.log(`  ${exchangeEnvName("EXCHANGE_ORIGIN", id)}=${sim.origin}`);
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
