import { NextResponse, type NextRequest } from "next/server";

// proxy.ts only redirects and sets the per-request CSP nonce. It is never the guard: every
// page, route handler and server action checks the session itself (lib/auth/current-user).
// It only looks for the session cookie and never writes one: wrapping it in Auth.js's auth()
// re-issued the cookie on every request, and a link prefetch in flight during sign-out brought
// the session back to life.

const sessionCookies = ["authjs.session-token", "__Secure-authjs.session-token"];

const publicPages = ["/login", "/signup"];

function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV === "development";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const isApi = pathname.startsWith("/api/");
  const isPublic = publicPages.some((page) => pathname === page || pathname.startsWith(`${page}/`));

  const hasSession = sessionCookies.some((name) => request.cookies.has(name) || request.cookies.has(`${name}.0`));
  if (!isApi && !isPublic && !hasSession) {
    const login = new URL("/login", request.nextUrl);
    if (pathname !== "/") login.searchParams.set("callbackUrl", `${pathname}${search}`);
    return NextResponse.redirect(login);
  }

  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  return response;
}

// Backup uploads skip the proxy: Next.js buffers a body for the proxy and silently truncates
// it at 10 MB, which would turn a large archive into a "truncated archive" refusal.
export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/keys/[^/]+/restore$|.*\\.(?:svg|png|ico|txt)$).*)"],
};
