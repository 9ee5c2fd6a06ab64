import { ExchangeNav, IllustrationFrame, Note, StepBadge } from "./frame";
import { drawnKeys, formatCreated, keyLabel, type DrawnKey, type IllustratedKey } from "./key-facts";
import { drawingOf, type ExchangeLook } from "@/lib/exchanges/looks";

// The exchange's API-management page: a list of keys, with the key bound to MyITS among them.
// `highlight` rings that key and labels it, for the "locate the key" step.

export function KeyListDrawing({ look, keyInfo, highlight }: { look: ExchangeLook; keyInfo: IllustratedKey; highlight: boolean }) {
  const p = look.palette;
  const keys = drawnKeys(keyInfo);
  const page = drawingOf(look, `${look.list.heading} page`);
  const description = highlight
    ? `${page}: three API keys, with the key bound to MyITS highlighted: label ${keyLabel(keyInfo.label)}, API key ${keyInfo.maskedKey}, created ${formatCreated(keyInfo.createdAt)}.`
    : `${page}: a list of three API keys, each with its label, API key, creation date and actions.`;
  const caption = highlight
    ? `${page}. The highlighted key is the one bound to MyITS: match its label, API key and creation date.`
    : `${page}.`;
  return (
    <IllustrationFrame description={description} caption={caption} address={look.apiAddress} pageClassName={p.page}>
      <ExchangeNav look={look} signedIn />
      <div className="px-3 py-2">
        <ListHeader look={look} />
        {look.list.layout === "cards" ? (
          <div className="space-y-1.5">
            {keys.map((key) => (
              <KeyCard key={key.maskedKey} look={look} entry={key} highlight={highlight && key.mine} />
            ))}
          </div>
        ) : (
          <div className={`rounded border ${p.border} ${p.surface}`}>
            <TableHeader look={look} />
            {keys.map((key) => (
              <KeyRow key={key.maskedKey} look={look} entry={key} highlight={highlight && key.mine} />
            ))}
          </div>
        )}
      </div>
    </IllustrationFrame>
  );
}

function ListHeader({ look }: { look: ExchangeLook }) {
  const p = look.palette;
  return (
    <div className="mb-2 flex items-center justify-between gap-2">
      <span className="text-sm font-semibold">{look.list.heading}</span>
      <span className="flex items-center gap-1.5">
        <span className={`rounded px-1.5 py-0.5 font-semibold ${p.primary}`}>{look.list.createButton}</span>
        {look.list.deleteAll ? (
          <span className={`hidden rounded border px-1.5 py-0.5 @sm:inline ${p.border} ${p.danger}`}>{look.list.deleteAll}</span>
        ) : null}
      </span>
    </div>
  );
}

/** Binance-style: one card per key. */
export function KeyCard({
  look,
  entry,
  highlight,
  ringDelete = false,
}: {
  look: ExchangeLook;
  entry: DrawnKey;
  highlight: boolean;
  ringDelete?: boolean;
}) {
  const p = look.palette;
  return (
    <div className={`rounded border px-2 py-1.5 ${p.border} ${p.surface} ${highlight ? p.ring : ""}`}>
      <div className="flex items-center justify-between gap-2">
        <span className="min-w-0 truncate font-semibold">{entry.label}</span>
        <span className="flex shrink-0 items-center gap-2">
          {look.list.actions.map((action) => (
            <Action key={action} look={look} action={action} ringed={ringDelete && action === look.list.deleteAction} />
          ))}
        </span>
      </div>
      <div className={`mt-0.5 flex flex-wrap gap-x-3 ${p.muted}`}>
        <span>
          {look.list.keyColumn}: <span className="font-mono">{entry.maskedKey}</span>
        </span>
        <span>
          {look.list.createdColumn}: {entry.created}
        </span>
        {highlight ? <Note>Bound to MyITS</Note> : null}
      </div>
    </div>
  );
}

// Wide drawings: a four-column table. Narrow ones: two lines per key (name and actions, then
// API key and date), so nothing the user must match gets cut off. A fixed Action column keeps
// the header and the rows (separate grids) aligned.
const ROW =
  "grid grid-cols-[minmax(0,1fr)_auto] items-center gap-x-2 gap-y-0.5 px-2 @md:grid-cols-[minmax(0,1.2fr)_minmax(0,1.1fr)_minmax(0,1fr)_7rem]";

export function TableHeader({ look }: { look: ExchangeLook }) {
  const p = look.palette;
  return (
    <div className={`${ROW} hidden border-b py-1 @md:grid ${p.border} ${p.muted}`}>
      <span>{look.list.nameColumn}</span>
      <span>{look.list.keyColumn}</span>
      <span>{look.list.createdColumn}</span>
      <span>Action</span>
    </div>
  );
}

/** OKX, Bybit and generic: one table row per key. */
export function KeyRow({
  look,
  entry,
  highlight,
  ringDelete = false,
}: {
  look: ExchangeLook;
  entry: DrawnKey;
  highlight: boolean;
  ringDelete?: boolean;
}) {
  const p = look.palette;
  return (
    <div className={`${ROW} border-b py-1.5 last:border-b-0 ${p.border} ${highlight ? `rounded ${p.ring}` : ""}`}>
      <span className="col-start-1 row-start-1 truncate font-semibold">{entry.label}</span>
      <span className="col-start-1 row-start-2 truncate font-mono @md:col-start-2 @md:row-start-1">{entry.maskedKey}</span>
      <span className="col-start-2 row-start-2 truncate @md:col-start-3 @md:row-start-1">{entry.created}</span>
      <span className="col-start-2 row-start-1 flex gap-2 @md:col-start-4">
        {look.list.actions.map((action) => (
          <Action key={action} look={look} action={action} ringed={ringDelete && action === look.list.deleteAction} />
        ))}
      </span>
      {highlight ? (
        <span className="col-span-2 @md:col-span-4">
          <Note>Bound to MyITS</Note>
        </span>
      ) : null}
    </div>
  );
}

function Action({ look, action, ringed }: { look: ExchangeLook; action: string; ringed: boolean }) {
  const p = look.palette;
  const isDelete = action === look.list.deleteAction;
  return (
    <span className={`flex items-center gap-1 ${isDelete ? p.danger : p.accent}`}>
      {ringed ? <StepBadge n={1} /> : null}
      <span className={ringed ? `rounded px-1 ${p.ring}` : undefined}>{action}</span>
    </span>
  );
}
