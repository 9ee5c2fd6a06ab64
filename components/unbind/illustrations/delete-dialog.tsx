import { ExchangeNav, IllustrationFrame, Note, StepBadge } from "./frame";
import { keyLabel, ownKey, type IllustratedKey } from "./key-facts";
import { KeyCard, KeyRow, TableHeader } from "./key-list";
import { drawingOf, type ExchangeLook } from "@/lib/exchanges/looks";

// The key's own Delete action, then the exchange's confirmation dialog, marked in order.
// The dialog is drawn next to the list rather than over a darkened page, so every word stays
// readable.

export function DeleteDrawing({ look, keyInfo }: { look: ExchangeLook; keyInfo: IllustratedKey }) {
  const p = look.palette;
  const mine = ownKey(keyInfo);
  const label = keyLabel(keyInfo.label);
  const { title, cancel, confirm } = look.deleteDialog;
  return (
    <IllustrationFrame
      description={`${drawingOf(look, "delete confirmation")}: ${look.list.deleteAction} on the key ${label} (${keyInfo.maskedKey}), then a dialog titled ${title} with the buttons ${cancel} and ${confirm}.`}
      caption={`${drawingOf(look, "delete confirmation")}. Delete only the key bound to MyITS.`}
      address={look.apiAddress}
      pageClassName={p.page}
    >
      <ExchangeNav look={look} signedIn />
      <div className="px-3 pt-3">
        {look.list.layout === "cards" ? (
          <KeyCard look={look} entry={mine} highlight ringDelete />
        ) : (
          <div className={`rounded border ${p.border} ${p.surface}`}>
            <TableHeader look={look} />
            <KeyRow look={look} entry={mine} highlight ringDelete />
          </div>
        )}
      </div>
      <div className="flex items-start justify-center gap-3 px-3 pt-3">
        {look.list.deleteAll ? (
          <span className="mt-2 hidden @md:block">
            <Note>{`Not “${look.list.deleteAll}”`}</Note>
          </span>
        ) : null}
        <div className={`w-full max-w-64 rounded-lg border p-3 shadow-lg ${p.surface} ${p.border}`}>
          <p className="text-sm font-semibold">{title}</p>
          <p className={`mt-1 ${p.muted}`}>
            Delete the API key “<span className="font-semibold">{label}</span>”? This cannot be undone.
          </p>
          <div className="mt-3 flex items-center justify-end gap-2">
            <span className={`rounded border px-2 py-0.5 ${p.border}`}>{cancel}</span>
            <StepBadge n={2} />
            <span className={`rounded px-2 py-0.5 font-semibold ${p.primary} ${p.ring}`}>{confirm}</span>
          </div>
        </div>
      </div>
    </IllustrationFrame>
  );
}
