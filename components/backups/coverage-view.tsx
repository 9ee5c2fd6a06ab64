import { LocalTime } from "@/components/ui/local-time";
import type { CoverageReport } from "@/lib/backups/coverage/coverage-report";
import { partName } from "@/lib/backups/coverage/part-names";

// A coverage report in words (lib/backups/coverage): what the backup holds per part, what the
// exchange no longer gives, what was not read, and whether every balance adds up. Shown
// before a download on the backups page and in the unbind wizard's backup step.

const number = new Intl.NumberFormat("en-US");

export function CoverageView({ report }: { report: CoverageReport }) {
  const off = report.reconciliation.assets.filter((a) => a.difference !== "0");
  return (
    <section className="space-y-3 rounded-md border border-slate-200 p-4 text-sm" aria-label="What this backup covers" data-testid="coverage" data-complete={report.complete}>
      <p className={report.complete ? "font-medium text-emerald-800" : "font-medium text-amber-800"} data-testid="coverage-summary">
        {report.summary}
      </p>
      <table className="w-full text-left">
        <caption className="sr-only">Records per part of the account</caption>
        <thead className="text-slate-600">
          <tr>
            <th scope="col" className="py-1 font-medium">Part</th>
            <th scope="col" className="py-1 font-medium">Records</th>
            <th scope="col" className="py-1 font-medium">From – to</th>
          </tr>
        </thead>
        <tbody>
          {report.parts.map((part) => (
            <tr key={part.part} data-testid="coverage-part" data-part={part.part}>
              <td className="py-0.5">{partName(part.part)}{part.markets ? ` (${part.markets.length} markets)` : ""}</td>
              <td className="py-0.5">{number.format(part.rows)}</td>
              <td className="py-0.5">{part.rows > 0 ? <><LocalTime value={part.from} style="date" empty="…" /> – <LocalTime value={part.to} style="date" empty="…" /></> : "none"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.gaps.length > 0 ? (
        <div>
          <h4 className="font-medium text-amber-800">Not read</h4>
          <ul className="list-disc pl-5" data-testid="coverage-gaps">{report.gaps.map((g, i) => <li key={i}>{g.message}</li>)}</ul>
        </div>
      ) : null}
      {report.limits.length > 0 ? (
        <div>
          <h4 className="font-medium">What the exchange no longer gives</h4>
          <ul className="list-disc pl-5" data-testid="coverage-limits">{report.limits.map((l, i) => <li key={i}>{l.message}</li>)}</ul>
        </div>
      ) : null}
      {report.statements && report.statements.length > 0 ? (
        <div>
          <h4 className="font-medium">The exchange&apos;s own history files in this backup</h4>
          <ul className="list-disc pl-5" data-testid="coverage-statements">{report.statements.map((s) => <li key={s.file}>{s.message}</li>)}</ul>
        </div>
      ) : null}
      {report.unavailable.length > 0 ? (
        <ul className="list-disc pl-5 text-slate-700" data-testid="coverage-unavailable">{report.unavailable.map((u, i) => <li key={i}>{u.message}</li>)}</ul>
      ) : null}
      {report.delisted.length > 0 ? (
        <div>
          <h4 className="font-medium">Delisted markets</h4>
          <ul className="list-disc pl-5" data-testid="coverage-delisted">{report.delisted.map((d, i) => <li key={i}>{d.message}</li>)}</ul>
        </div>
      ) : null}
      <div data-testid="coverage-reconciliation" data-checked={report.reconciliation.checked}>
        <h4 className="font-medium">Balances against recorded movements</h4>
        <p className="text-slate-700">{report.reconciliation.message}</p>
        {off.length > 0 ? (
          <table className="mt-1 w-full text-left">
            <caption className="sr-only">Assets whose balance and recorded movements differ</caption>
            <thead className="text-slate-600">
              <tr>
                <th scope="col" className="font-medium">Asset</th>
                <th scope="col" className="font-medium">Balance now</th>
                <th scope="col" className="font-medium">Sum of records</th>
                <th scope="col" className="font-medium">Difference</th>
              </tr>
            </thead>
            <tbody className="font-mono text-xs">
              {off.map((a) => (
                <tr key={a.asset} data-testid="coverage-difference">
                  <td>{a.asset}</td>
                  <td>{a.balance}</td>
                  <td>{a.recorded}</td>
                  <td>{a.difference}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
    </section>
  );
}
