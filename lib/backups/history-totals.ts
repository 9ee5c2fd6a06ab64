import "server-only";
import type { Db } from "@/lib/db";

// How much history MyITS holds for each of a user's keys: what a backup downloaded now contains,
// as opposed to what the last export added. Counted per table (each has an index leading with
// bindingId), only for bindings of this user.

export interface HistoryTotals {
  trades: number;
  transfers: number;
  conversions: number;
  income: number;
}

export const noHistory: HistoryTotals = { trades: 0, transfers: 0, conversions: 0, income: 0 };

export async function historyTotals(client: Db, userId: string, bindingIds: string[]): Promise<Map<string, HistoryTotals>> {
  const owned = (await client.exchangeBinding.findMany({ where: { userId, id: { in: bindingIds } }, select: { id: true } })).map((b) => b.id);
  const totals = new Map<string, HistoryTotals>(owned.map((id) => [id, { ...noHistory }]));
  if (owned.length === 0) return totals;
  const where = { bindingId: { in: owned } };
  const [trades, transfers, conversions, income] = await Promise.all([
    client.tradeRecord.groupBy({ by: ["bindingId"], where, _count: { _all: true } }),
    client.transfer.groupBy({ by: ["bindingId"], where, _count: { _all: true } }),
    client.conversion.groupBy({ by: ["bindingId"], where, _count: { _all: true } }),
    client.incomeEntry.groupBy({ by: ["bindingId"], where, _count: { _all: true } }),
  ]);
  const fill = (part: keyof HistoryTotals, rows: { bindingId: string; _count: { _all: number } }[]) => {
    for (const row of rows) totals.get(row.bindingId)![part] = row._count._all;
  };
  fill("trades", trades);
  fill("transfers", transfers);
  fill("conversions", conversions);
  fill("income", income);
  return totals;
}
