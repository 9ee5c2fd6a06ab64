// The simulated exchanges: one line per dialect folder (lib/exchange-sim/<id>/index.ts). Adding a
// dialect is adding its folder and its line here (docs/adding-an-exchange.md).

import type { AnyDialect } from "./dialect";
import { binanceDialect } from "./binance";
import { bitgetDialect } from "./bitget";
import { bybitDialect } from "./bybit";
import { coinbaseDialect } from "./coinbase";
import { gateDialect } from "./gate";
import type { SimRequest } from "./http";
import { krakenDialect } from "./kraken";
import { kucoinDialect } from "./kucoin";
import { okxDialect } from "./okx";

// A function, read on first use: the dialects import the shared modules that look them up here,
// so the list must not be read while those modules are still being loaded.
const folders = () => [binanceDialect, okxDialect, bybitDialect, kucoinDialect, gateDialect, bitgetDialect, coinbaseDialect, krakenDialect] as const;

/** The ccxt ids the simulator speaks. */
export type SimExchange = ReturnType<typeof folders>[number]["id"];

let list: ReturnType<typeof folders> | undefined;

export function dialects(): ReturnType<typeof folders> {
  return (list ??= folders());
}

/** The ccxt ids the simulator speaks, in the order of the list. */
export function simExchanges(): SimExchange[] {
  return dialects().map((d) => d.id);
}

/** The dialect of an exchange id; throws for an id no folder declares. */
export function dialectOf(exchange: string): AnyDialect {
  const found = dialects().find((d) => d.id === exchange);
  if (!found) throw new Error(`the simulator has no ${exchange} dialect`);
  return found;
}

/**
 * Which dialect a request belongs to: one that claims it by what only its requests carry
 * (claimsRequest, for paths shared with another exchange), else the one owning its path.
 */
export function dialectOfRequest(req: Pick<SimRequest, "method" | "path" | "headers">): AnyDialect | undefined {
  return dialects().find((d) => d.claimsRequest?.(req) ?? false) ?? dialects().find((d) => d.ownsPath(req.path));
}
