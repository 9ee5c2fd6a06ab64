import { gateIds, type GateId, type GateStatus } from "@/lib/unbind/gates";

// Every precaution with its status and what will satisfy it. The server judged these; the page
// only shows them.
const gateNames: Record<GateId, string> = {
  backup: "Data backup",
  impact: "Impact on bots",
  security: "Account security",
  notify: "Notify relevant parties",
  review: "Regular review",
};

export function GateList({ gates }: { gates: Record<GateId, GateStatus> }) {
  return (
    <section aria-labelledby="gates-heading" className="rounded-lg border border-slate-200 bg-white p-4" data-testid="gate-list">
      <h2 id="gates-heading" className="text-sm font-semibold">Precaution checklist</h2>
      <ul className="mt-2 space-y-2">
        {gateIds.map((id) => {
          const gate = gates[id];
          return (
            <li key={id} data-gate={id} data-satisfied={gate.satisfied} className="text-sm">
              <p className={`font-medium ${gate.satisfied ? "text-emerald-800" : "text-slate-800"}`}>
                <span aria-hidden="true">{gate.satisfied ? "✓ " : "○ "}</span>
                {gateNames[id]}
                <span className="sr-only">{gate.satisfied ? ": done" : ": not yet"}</span>
              </p>
              <p className="text-slate-700">{gate.summary}</p>
              {gate.howTo ? <p className="text-slate-600">To do: {gate.howTo}</p> : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
