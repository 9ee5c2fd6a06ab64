import type { LookContent } from "./looks";
import type { ExchangeGuide } from "./types";

// A guide file (lib/exchanges/<id>/guide.ts) holds the wizard's words and the drawings' content;
// the exchange's identity (id, name) is declared once, by its adapter, which joins the two here.

/** Everything a guide declares: the guide without the identity its adapter gives it. */
export type GuideContent = Omit<ExchangeGuide, "exchangeId" | "displayName" | "look"> & { look: LookContent };

/** The guide of one exchange, named after it. `typical`: drawings of a typical exchange's pages (generic adapter). */
export function guideFor(exchangeId: string, displayName: string, content: GuideContent, typical = false): ExchangeGuide {
  return { ...content, exchangeId, displayName, look: { ...content.look, name: displayName, typical } };
}
