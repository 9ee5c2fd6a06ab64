import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

// A production build is reused until a source it depends on changes, so a second start is fast.
const sources = ["app", "lib", "components", "public", "auth.ts", "auth.config.ts", "proxy.ts", "next.config.js", "package-lock.json", "prisma/schema.prisma", "postcss.config.mjs"];

function newestMtime(path: string): number {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), stat.mtimeMs);
}

export function buildIsStale(root: string): boolean {
  const built = newestMtime(join(root, ".next", "BUILD_ID"));
  if (built === 0) return true;
  return sources.some((source) => newestMtime(join(root, source)) > built);
}
