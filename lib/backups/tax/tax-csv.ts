import { CSV_EOL, encodeCsvField } from "@/lib/backups/archive/csv";
import type { TaxLabel, TaxMovement } from "./tax-rows";

// Two tax tools' import layouts, for users moving their history there:
// - Koinly's universal CSV: Date (YYYY-MM-DD HH:mm:ss UTC), Sent/Received Amount and Currency,
//   Fee, Net Worth (left empty: Koinly prices it), Label, Description, TxHash.
// - CoinTracker's CSV: Date (MM/DD/YYYY HH:MM:SS, UTC), Received/Sent Quantity and Currency, Fee,
//   Tag.
// The labels and tags are the tools' own words for derivatives P&L and fees; plain trades,
// deposits and withdrawals carry none. Amounts are the exchange's exact strings. Cells go through
// the archive's CSV encoding (quoting, and the formula-injection guard).

export type TaxTool = "koinly" | "cointracker";

const KOINLY_LABELS: Record<Exclude<TaxLabel, null>, string> = {
  realized_gain: "realized gain",
  realized_loss: "realized gain",
  funding_received: "realized gain",
  funding_paid: "margin fee",
  commission: "cost",
  income: "income",
};

const COINTRACKER_TAGS: Record<Exclude<TaxLabel, null>, string> = {
  realized_gain: "margin gain",
  realized_loss: "margin loss",
  funding_received: "margin gain",
  funding_paid: "margin fee",
  commission: "margin fee",
  income: "",
};

export const TAX_HEADERS: Record<TaxTool, string[]> = {
  koinly: ["Date", "Sent Amount", "Sent Currency", "Received Amount", "Received Currency", "Fee Amount", "Fee Currency", "Net Worth Amount", "Net Worth Currency", "Label", "Description", "TxHash"],
  cointracker: ["Date", "Received Quantity", "Received Currency", "Sent Quantity", "Sent Currency", "Fee Amount", "Fee Currency", "Tag"],
};

const pad = (n: number) => String(n).padStart(2, "0");

function koinlyDate(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

function cointrackerDate(at: Date): string {
  return `${pad(at.getUTCMonth() + 1)}/${pad(at.getUTCDate())}/${at.getUTCFullYear()} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
}

function row(fields: Array<string | null>): string {
  return fields.map((f) => encodeCsvField(f === "" ? null : f)).join(",") + CSV_EOL;
}

export function taxCsvHeader(tool: TaxTool): string {
  return TAX_HEADERS[tool].join(",") + CSV_EOL;
}

export function taxCsvRow(tool: TaxTool, m: TaxMovement): string {
  if (tool === "koinly") {
    return row([
      koinlyDate(m.at),
      m.sent?.amount ?? null,
      m.sent?.currency ?? null,
      m.received?.amount ?? null,
      m.received?.currency ?? null,
      m.fee?.amount ?? null,
      m.fee?.currency ?? null,
      null,
      null,
      m.label ? KOINLY_LABELS[m.label] : null,
      m.description,
      m.txHash,
    ]);
  }
  return row([
    cointrackerDate(m.at),
    m.received?.amount ?? null,
    m.received?.currency ?? null,
    m.sent?.amount ?? null,
    m.sent?.currency ?? null,
    m.fee?.amount ?? null,
    m.fee?.currency ?? null,
    m.label ? COINTRACKER_TAGS[m.label] : null,
  ]);
}
