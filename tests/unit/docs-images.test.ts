import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// The pictures of the README and docs/tour.md come from `npm run screenshots` (scripts/
// screenshots.ts). Each picture a document shows must exist, with words for those who cannot
// see it; each picture in docs/images/ must be shown somewhere; together they stay small
// enough for a clone.

const root = resolve(import.meta.dirname, "../..");
const documents = ["README.md", "docs/tour.md"];
const imagesDir = join(root, "docs/images");

function imagesOf(document: string): { alt: string; path: string }[] {
  const text = readFileSync(join(root, document), "utf8");
  return [...text.matchAll(/!\[([^\]]*)\]\(([^)\s]+)\)/g)].map((m) => ({
    alt: m[1]!,
    path: relative(root, resolve(dirname(join(root, document)), m[2]!)),
  }));
}

describe("the documents' pictures", () => {
  it.each(documents)("%s shows only pictures that exist, each described in words", (document) => {
    const images = imagesOf(document);
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) {
      expect(existsSync(join(root, image.path)), `${document} shows ${image.path}`).toBe(true);
      expect(image.alt.trim(), `${document}: the words for ${image.path}`).not.toBe("");
    }
  });

  it("shows every picture in docs/images/ somewhere, and keeps them small", () => {
    const shown = new Set(documents.flatMap((document) => imagesOf(document).map((image) => image.path)));
    const files = readdirSync(imagesDir).map((name) => `docs/images/${name}`);
    expect(files.filter((file) => !shown.has(file))).toEqual([]);
    const bytes = files.reduce((sum, file) => sum + statSync(join(root, file)).size, 0);
    expect(bytes).toBeLessThan(2 * 1024 * 1024);
  });
});
