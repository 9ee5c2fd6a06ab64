// Where a redirect may go: resolved against our origin with the URL parser, exactly as the
// browser will resolve it, and kept only when it lands on that origin. Prefix checks miss what
// the parser does: it drops tabs and newlines ("/\t/evil.example" is "//evil.example") and reads
// a backslash as a slash ("/\evil.example"). No "server-only": auth.config.ts uses it too.

const UNSAFE = /[\u0000-\u001f\u007f\\]/;

/**
 * The path (with query and fragment) of `target` when it is on `origin`; null otherwise.
 * Also null when the target, percent-decoded once, would leave the origin, in case something
 * on the way decodes it (a query parameter is read decoded).
 */
export function sameOriginPath(target: unknown, origin: string): string | null {
  if (typeof target !== "string" || target === "") return null;
  const resolved = resolve(target, origin);
  if (resolved === null) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    return null;
  }
  if (decoded !== target && resolve(decoded, origin) === null) return null;
  return resolved;
}

function resolve(target: string, origin: string): string | null {
  if (UNSAFE.test(target)) return null;
  let url: URL;
  let base: URL;
  try {
    base = new URL(origin);
    url = new URL(target, base);
  } catch {
    return null;
  }
  if (url.origin !== base.origin) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}
