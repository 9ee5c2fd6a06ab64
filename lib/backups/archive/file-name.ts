// Download names such as myits-binance-main-bot-2026-11-23.zip: lowercase ASCII letters,
// digits and dashes only, so they need no escaping in Content-Disposition and are safe on
// every file system. The date is the UTC day.

const MAX_SLUG = 40;

function slug(text: string, fallback: string): string {
  const slugged = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // accents: "Café" -> "cafe"
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, MAX_SLUG)
    .replace(/^-+|-+$/g, "");
  return slugged === "" ? fallback : slugged;
}

/** zip / csv: the backup; koinly / cointracker: a CSV for that tax tool (…-koinly.csv). */
export function backupFileName(input: { exchange: string; label: string; date: Date; kind: "zip" | "csv" | "koinly" | "cointracker" }): string {
  const day = input.date.toISOString().slice(0, 10);
  const suffix = input.kind === "zip" || input.kind === "csv" ? input.kind : `${input.kind}.csv`;
  return `myits-${slug(input.exchange, "exchange")}-${slug(input.label, "key")}-${day}${suffix.includes(".") ? "-" : "."}${suffix}`;
}
