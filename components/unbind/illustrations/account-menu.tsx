import { ExchangeNav, IllustrationFrame, Skeleton, StepBadge } from "./frame";
import { drawingOf, type ExchangeLook } from "@/lib/exchanges/looks";

// The profile menu open at the top right, with the way to API management marked in order
// (Bybit: the menu leads to Account & Security, where API Management is a tab).

export function AccountMenuDrawing({ look }: { look: ExchangeLook }) {
  const p = look.palette;
  const { items, highlight, tabs } = look.menu;
  const path = tabs ? `${highlight}, then the ${tabs.highlight} tab` : highlight;
  return (
    <IllustrationFrame
      description={`${drawingOf(look, "profile menu")}: the profile icon at the top right opens a menu with ${highlight} highlighted${
        tabs ? `; on the page it opens, the ${tabs.highlight} tab is highlighted` : ""
      }.`}
      caption={`${drawingOf(look, "profile menu")}. Choose ${path}.`}
      address={look.apiAddress}
      pageClassName={p.page}
    >
      <ExchangeNav look={look} signedIn ringProfile />
      <StepBadge n={1} className="absolute top-1.5 right-9" />
      {tabs ? (
        <div className="px-3 pt-28 @md:pt-3 @md:pr-48">
          <div className={`flex flex-wrap gap-x-3 gap-y-1 border-b pb-1 ${p.border}`}>
            {tabs.items.map((tab) =>
              tab === tabs.highlight ? (
                <span key={tab} className="flex items-center gap-1">
                  <StepBadge n={3} />
                  <span className={`rounded px-1 font-semibold ${p.accent} ${p.ring}`}>{tab}</span>
                </span>
              ) : (
                <span key={tab} className={p.muted}>
                  {tab}
                </span>
              ),
            )}
          </div>
          <Skeleton look={look} rows={3} />
        </div>
      ) : (
        <div className="pr-48">
          <Skeleton look={look} rows={6} />
        </div>
      )}
      <div className={`absolute top-8 right-2 w-44 rounded-md border py-1 shadow-lg ${p.surface} ${p.border}`}>
        {items.map((item) =>
          item === highlight ? (
            <div key={item} className="flex items-center gap-1 px-2 py-1">
              <StepBadge n={2} />
              <span className={`flex-1 rounded px-1 font-semibold ${p.accent} ${p.ring}`}>{item}</span>
            </div>
          ) : (
            <div key={item} className="px-2 py-1 pl-7">
              {item}
            </div>
          ),
        )}
      </div>
    </IllustrationFrame>
  );
}
