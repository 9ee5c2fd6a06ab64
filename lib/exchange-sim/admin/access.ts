// Who may use /__admin. The simulator's admin interface lists the demo's keys with their
// secrets and deletes them, and it listens on 127.0.0.1, which every web page the user opens can
// reach: a page (or a webhook the dashboard sends) could read or delete keys by cross-site
// requests, or, after DNS rebinding (evil.example resolving to 127.0.0.1), even read answers.
// So: a Host allow-list (a rebound name arrives with its own Host) and a random token, given to
// whoever started the simulator (the admin URL that `npm run sim` / `npm run demo` prints). The
// token travels as `Authorization: Bearer`, or once in the page's URL (?token=), which trades it
// for a SameSite=Strict cookie so the page's own forms work and the token leaves the address bar.

import { timingSafeEqual } from "node:crypto";
import { json, type SimRequest, type SimResponse } from "../http";

export const ADMIN_COOKIE = "sim_admin_token";

export interface AdminAccess {
  token: string;
  /** Host header values accepted, e.g. "127.0.0.1:4010", "localhost:4010". */
  hosts: ReadonlySet<string>;
}

export function adminHosts(origin: string): Set<string> {
  const { host, port } = new URL(origin);
  return new Set([host, `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].map((h) => h.toLowerCase()));
}

/** null when the request may go on; else the refusal. `?token=` on the page: the cookie exchange. */
export function checkAdminAccess(req: SimRequest, access: AdminAccess, open: boolean): SimResponse | null {
  const host = (req.headers["host"] ?? "").toLowerCase();
  if (!access.hosts.has(host)) {
    return json(403, { error: `Host "${host}" is not this simulator (use ${[...access.hosts][0]}): refused, as a DNS-rebinding guard` });
  }
  if (open) return null;
  const fromQuery = req.query.get("token");
  if (fromQuery !== null && req.method === "GET" && matches(fromQuery, access.token)) {
    const location = req.path;
    return {
      status: 303,
      headers: { location, "set-cookie": `${ADMIN_COOKIE}=${access.token}; Path=/__admin; HttpOnly; SameSite=Strict`, "cache-control": "no-store" },
      body: "",
    };
  }
  const presented = bearer(req.headers["authorization"]) ?? cookie(req.headers["cookie"], ADMIN_COOKIE) ?? fromQuery;
  if (presented === null) {
    return json(401, { error: "the simulator's admin interface needs its token: open the admin URL that `npm run sim` or `npm run demo` printed" });
  }
  if (!matches(presented, access.token)) return json(403, { error: "wrong admin token" });
  return null;
}

function matches(presented: string, token: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function bearer(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  return match ? match[1]! : null;
}

function cookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return null;
}
