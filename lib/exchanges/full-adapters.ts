import "server-only";
import { createBinanceAdapter } from "./binance";
import { createBitgetAdapter } from "./bitget";
import { createBybitAdapter } from "./bybit";
import { createCoinbaseAdapter } from "./coinbase";
import { createGateAdapter } from "./gate";
import { createKrakenAdapter } from "./kraken";
import { createKucoinAdapter } from "./kucoin";
import { createOkxAdapter } from "./okx";
import type { AdapterContext, ExchangeAdapter } from "./types";

// The exchanges with a full adapter: one line per folder (lib/exchanges/<id>/index.ts), in the
// order the bind form lists them. The registry reads each one's id, name, passphrase and
// capabilities from the adapter itself (docs/adding-an-exchange.md).
export const FULL_ADAPTERS: ReadonlyArray<(context?: AdapterContext) => ExchangeAdapter> = [
  createBinanceAdapter,
  createOkxAdapter,
  createBybitAdapter,
  createKucoinAdapter,
  createGateAdapter,
  createBitgetAdapter,
  createCoinbaseAdapter,
  createKrakenAdapter,
];
