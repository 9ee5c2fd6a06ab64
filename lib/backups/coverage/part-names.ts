import type { HistoryPart } from "@/lib/exchanges/types";

// The parts of an account's history in the words the pages and the coverage report use.

export const PART_NAMES: Record<HistoryPart, string> = {
  spot: "Spot trades",
  margin: "Cross margin trades",
  isolated_margin: "Isolated margin trades",
  usdm: "USDⓈ-M futures trades",
  coinm: "COIN-M futures trades",
  option: "Options trades",
  transfers: "Deposits and withdrawals",
  conversions: "Conversions (convert, dust)",
  income: "Futures income (funding, realized P&L, commissions)",
};

export function partName(part: string): string {
  return (PART_NAMES as Record<string, string>)[part] ?? part;
}
