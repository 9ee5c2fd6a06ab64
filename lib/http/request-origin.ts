import "server-only";
import { viaTrustedProxy } from "@/lib/auth/request-meta";
import { AppError } from "@/lib/errors";

// Cross-site request forgery, refused at the door of every state-changing route handler: the
// session cookie goes along with any request a browser sends, including one a foreign page
// triggers. Browsers send Origin with every non-GET request and a page cannot forge it, so it
// must name this host. JSON is required because a foreign <form> can only send urlencoded,
// multipart or text/plain bodies without a CORS preflight; the one multipart route (the
// restore upload) relies on the Origin check alone. Auth.js's own routes do not come here: it
// checks its CSRF token itself.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type AcceptedBody = "json" | "multipart";

export function assertSameOriginRequest(request: Request, accepts: AcceptedBody = "json"): void {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return;
  const { headers } = request;
  const origin = headers.get("origin");
  if (!origin || !hostsOf(headers).includes(hostOf(origin) ?? "\0")) {
    throw new AppError("FORBIDDEN", "This request did not come from the dashboard's own pages (its Origin header is missing or names another site).");
  }
  const type = (headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const wanted = accepts === "json" ? "application/json" : "multipart/form-data";
  if (type !== wanted) throw new AppError("UNSUPPORTED_MEDIA_TYPE", `Send the request body as ${wanted}.`);
}

/** The host the client addressed: Host, or X-Forwarded-Host through a trusted proxy. */
function hostsOf(headers: Headers): string[] {
  const hosts = [headers.get("host")];
  if (viaTrustedProxy(headers)) hosts.push(headers.get("x-forwarded-host")?.split(",")[0]?.trim() ?? null);
  return hosts.filter((host): host is string => !!host).map((host) => host.toLowerCase());
}

function hostOf(origin: string): string | null {
  try {
    const url = new URL(origin);
    return url.protocol === "http:" || url.protocol === "https:" ? url.host.toLowerCase() : null;
  } catch {
    return null;
  }
}
