import { afterAll, beforeAll, expect } from "vitest";
import type { CoverageReport } from "@/lib/backups/coverage/coverage-report";
import { createPrismaClient, type Db } from "@/lib/db";
import { startExchangeSim, type ExchangeSim, type ExchangeSimOptions } from "@/lib/exchange-sim";
import type { SimExchange } from "@/lib/exchange-sim/dialects";
import type { SimProduct, SimTrade } from "@/lib/exchange-sim/types";
import { useTestEnv } from "../../support/app-env";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";
import { coverageNow, createUser } from "./harness";

// What the complete-<exchange> tests share: a database, a simulator and one user per file, the
// value-by-value comparison of the stored trades and transfers with the simulator's ground truth,
// and the two reconciliation checks each of them makes.

export interface CompleteAccount {
  client: Db;
  sim: ExchangeSim;
  userId: string;
}

/** Registers the file's beforeAll/afterAll; the fields are set once beforeAll has run. */
export function completeAccountSuite(simOptions: ExchangeSimOptions): CompleteAccount {
  const account = {} as CompleteAccount;
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    useTestEnv(database.url);
    account.client = createPrismaClient(database.url);
    account.sim = await startExchangeSim({ port: 0, ...simOptions });
    account.userId = await createUser(account.client);
  });
  afterAll(async () => {
    await account.sim?.close();
    await account.client?.$disconnect();
    await database?.drop();
  });
  return account;
}

type StoredTrade = Awaited<ReturnType<Db["tradeRecord"]["findMany"]>>[number];

export interface StoredCheck {
  /** The products to compare; by default every product the simulator holds for the key. */
  products?: readonly SimProduct[];
  /** The truth's trades the exchange still serves (a delisted market's are not). */
  served?: (trade: SimTrade) => boolean;
  /** Per exchange, what else a stored row must say of its trade. */
  row?: (row: StoredTrade, trade: SimTrade) => void;
}

/** Every trade on every product and every deposit and withdrawal stored once, as the exchange served it. */
export async function expectTradesAndTransfersStored(account: CompleteAccount, exchange: SimExchange, bindingId: string, apiKey: string, check: StoredCheck = {}) {
  const { client, sim } = account;
  const products = check.products ?? sim.products(exchange, apiKey);
  if (check.products) expect(sim.products(exchange, apiKey)).toEqual([...check.products]);
  for (const product of products) {
    const truth = sim.trades(exchange, apiKey, { product }).filter(check.served ?? (() => true));
    expect(truth.length, product).toBeGreaterThan(0);
    const stored = await client.tradeRecord.findMany({ where: { bindingId, product } });
    expect(stored.length, product).toBe(truth.length);
    const byKey = new Map(stored.map((t) => [`${t.market}/${t.exchangeTradeId}`, t]));
    for (const trade of truth) {
      const row = byKey.get(`${trade.symbol}/${trade.id}`);
      expect(row, `${product} ${trade.symbol}/${trade.id}`).toBeDefined();
      // the exchange's record, exactly as served
      expect(row!.raw).toEqual(trade.raw);
      check.row?.(row!, trade);
    }
  }
  const ledger = sim.ledger(exchange, apiKey);
  const deposits = await client.transfer.count({ where: { bindingId, direction: "deposit" } });
  const withdrawals = await client.transfer.count({ where: { bindingId, direction: "withdrawal" } });
  expect(deposits).toBeGreaterThan(0);
  expect({ deposits, withdrawals }).toEqual({ deposits: ledger.deposits.length, withdrawals: ledger.withdrawals.length });
}

/** Every asset adds up, and to the exchange's own balances, with nothing missing. */
export function expectReconciled(report: CoverageReport, balances: Record<string, string>) {
  expect(report.reconciliation.checked).toBe(true);
  expect(report.reconciliation.assets.filter((a) => a.difference !== "0")).toEqual([]);
  expect(Object.fromEntries(report.reconciliation.assets.filter((a) => a.balance !== "0").map((a) => [a.asset, a.balance]))).toEqual(balances);
  expect(report.gaps).toEqual([]);
  expect(report.complete).toBe(true);
}

/** Deleting one stored trade leaves exactly its effects as the differences of its assets. */
export async function expectMissingTradeShows(account: CompleteAccount, exchange: SimExchange, bindingId: string, product: string) {
  const { client } = account;
  const victim = await client.tradeRecord.findFirstOrThrow({ where: { bindingId, product }, orderBy: [{ tradedAt: "asc" }, { id: "asc" }] });
  await client.tradeRecord.delete({ where: { id: victim.id } });
  const again = await coverageNow(client, bindingId, exchange);
  expect(again.complete).toBe(false);
  const off = Object.fromEntries(again.reconciliation.assets.filter((a) => a.difference !== "0").map((a) => [a.asset, a.difference]));
  expect(Object.keys(off).length).toBeGreaterThan(0);
  // the balance is what it was; the records lack exactly this trade's effects
  expect(off).toEqual(victim.effects);
}
