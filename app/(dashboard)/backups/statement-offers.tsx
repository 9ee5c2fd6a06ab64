import type { KeyStatements, StatementView } from "@/lib/backups/statements/statements";
import { StatementRequestForm } from "./statement-request-form";

// The exchange's own history files for the parts its API cuts off (lib/backups/statements):
// what each request costs, the windows still uncovered, and every file asked for with its state.

const day = (d: Date) => d.toISOString().slice(0, 10);

function duration(ms: number | null): string {
  if (ms === null) return "an unknown time";
  if (ms < 90_000) return `about ${Math.max(1, Math.round(ms / 1000))} seconds`;
  if (ms < 90 * 60_000) return `about ${Math.round(ms / 60_000)} minutes`;
  return `about ${Math.round(ms / 3_600_000)} hours`;
}

function StatementRow({ statement }: { statement: StatementView }) {
  const window = `${statement.title}, ${day(statement.from)} to ${day(statement.to)}`;
  const state =
    statement.status === "STORED"
      ? `stored (${((statement.sizeBytes ?? 0) / 1024).toFixed(1)} KB), in every backup you download from now on`
      : statement.status === "REQUESTED"
        ? `asked for on ${day(statement.requestedAt)}; the exchange is preparing it (usually ${duration(statement.typicalMs)}), MyITS fetches it when ready`
        : statement.status === "EXPIRED"
          ? `not fetched: ${statement.error ?? "the link expired"}`
          : `not obtained: ${statement.error ?? "the exchange refused"}`;
  return (
    <li data-testid="statement" data-status={statement.status} data-kind={statement.kind}>
      <span className="font-medium">{window}</span>: {state}
    </li>
  );
}

export function StatementOffers({ bindingId, exchangeName, statements }: { bindingId: string; exchangeName: string; statements: KeyStatements }) {
  const open = statements.offers.filter((o) => o.windows.length > 0);
  if (open.length === 0 && statements.statements.length === 0) return null;
  return (
    <section className="space-y-3 rounded-md border border-slate-200 p-4 text-sm" aria-label={`${exchangeName}'s own history files`} data-testid="statements">
      <h3 className="font-medium">Older history from {exchangeName}&apos;s own files</h3>
      {open.map((offer) => (
        <div key={offer.kind.id} className="space-y-2" data-testid="statement-offer" data-kind={offer.kind.id}>
          <p className="text-slate-700">
            {exchangeName}&apos;s API no longer returns {offer.kind.title} before {day(offer.cutoff)}, but {exchangeName} can prepare it as a file, at most
            one year per request. Each request costs {offer.kind.cost} and counts against {exchangeName}&apos;s limit of {offer.kind.quota}. MyITS stores the
            file exactly as {exchangeName} delivers it and puts it in the backup archive (statements/), named in coverage.json; its rows are in{" "}
            {exchangeName}&apos;s own layout and are not counted in the trades above.
          </p>
          <ul className="space-y-2">
            {offer.windows.map((w) => (
              <li key={w.from.toISOString()}>
                <StatementRequestForm bindingId={bindingId} kind={offer.kind.id} from={w.from.toISOString()} to={w.to.toISOString()} label={`${day(w.from)} to ${day(w.to)}`} />
              </li>
            ))}
          </ul>
        </div>
      ))}
      {statements.statements.length > 0 ? (
        <ul className="list-disc space-y-1 pl-5 text-slate-700">{statements.statements.map((s) => <StatementRow key={s.id} statement={s} />)}</ul>
      ) : null}
    </section>
  );
}
