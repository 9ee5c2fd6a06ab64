import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { genericLook, type Palette } from "@/lib/exchanges/looks";
import { getAdapter, supportedExchanges } from "@/lib/exchanges/registry";

// Dark mode redefines some of the theme's colour tokens (app/globals.css). A drawing that mixes a
// redefined token with a fixed colour loses its contrast in one theme: OKX's white page turned
// navy under black text. Read the redefined tokens from the stylesheet itself, then hold each
// look to its rule (lib/exchanges/looks.ts): an exchange's own look uses none of them; the typical
// look pairs every background with a text colour that turns around with it.

const css = readFileSync(join(import.meta.dirname, "../../../app/globals.css"), "utf8");
// the palette's block: the first `@variant dark` (the custom variant covers the toggle and the system setting)
const darkStart = css.indexOf("@variant dark {");
const darkBlock = css.slice(darkStart, css.indexOf("}", darkStart));
const turned = new Set([...darkBlock.matchAll(/--color-([a-z]+(?:-\d+)?):/g)].map((m) => m[1]!));

/** The colour token of a utility class (`bg-slate-800` -> `slate-800`), or null for a fixed colour. */
function token(cls: string): string | null {
  const match = /^(?:bg|text|border|ring-offset|ring|fill|stroke)-([a-z]+(?:-\d+)?)$/.exec(cls);
  return match ? match[1]! : null;
}

/** Whether a class's colour changes in dark mode. White text stays white (app/globals.css). */
function turns(cls: string): boolean {
  if (cls === "text-white") return false;
  const name = token(cls);
  return name !== null && turned.has(name);
}

const classesOf = (value: string) => value.split(/\s+/).filter(Boolean);
const firstWith = (value: string, prefix: "bg-" | "text-") => classesOf(value).find((c) => c.startsWith(prefix) && !c.startsWith("text-["));

describe("the drawings' colours in dark mode", () => {
  it("reads the tokens dark mode redefines from app/globals.css", () => {
    for (const name of ["white", "slate-900", "red-700", "indigo-50"]) expect(turned, name).toContain(name);
    expect(turned).not.toContain("indigo-600");
  });

  it.each(supportedExchanges().filter((e) => e.full).map((e) => [e.id] as const))("%s's own look uses fixed colours only", (id) => {
    const palette: Palette = getAdapter(id).guide.look.palette;
    const turning = Object.entries(palette).flatMap(([part, value]) => classesOf(value).filter(turns).map((cls) => `${part}: ${cls}`));
    expect(turning).toEqual([]);
  });

  it("the typical look turns its backgrounds and their texts around together", () => {
    const p = genericLook("https://example.com").palette;
    const pairs: Array<[string, string, string]> = [
      ["page", p.page, p.page],
      ["bar", p.bar, p.bar],
      ["brand on bar", p.bar, p.brand],
      ["primary", p.primary, p.primary],
      ["avatar", p.avatar, p.avatar],
      ["page text on surface", p.surface, p.page],
      ["muted on page", p.page, p.muted],
      ["muted on surface", p.surface, p.muted],
      ["muted on field", p.field, p.muted],
      ["accent on surface", p.surface, p.accent],
      ["danger on surface", p.surface, p.danger],
    ];
    const mixed = pairs.flatMap(([name, background, text]) => {
      const bg = firstWith(background, "bg-");
      const fg = firstWith(text, "text-");
      if (!bg || !fg) return [`${name}: no background or no text colour`];
      return turns(bg) === turns(fg) ? [] : [`${name}: ${bg} ${turns(bg) ? "turns" : "stays"}, ${fg} ${turns(fg) ? "turns" : "stays"}`];
    });
    expect(mixed).toEqual([]);
  });
});
