// GET|POST /api/auth/* - Auth.js endpoints (csrf, session, credentials callback, sign-out)
import { NextResponse, type NextRequest } from "next/server";
import { handlers } from "@/auth";
import { signInBusy } from "@/lib/auth/sign-in-attempts";

export const { GET } = handlers;

// A credentials sign-in while the attempts or the password checks are at their bound
// (lib/auth/sign-in-attempts.ts, password.ts) is answered as Auth.js answers the "busy" refusal
// of auth.ts (a redirect to the sign-in page with the code, or JSON for a client that asks for
// it), before Auth.js reads the body or the database is asked anything: under a flood of
// sign-ins, most attempts cost next to nothing.
export async function POST(request: NextRequest): Promise<Response> {
  if (request.nextUrl.pathname.endsWith("/callback/credentials") && signInBusy()) {
    const url = new URL("/login", request.nextUrl.origin);
    url.search = new URLSearchParams({ error: "CredentialsSignin", code: "busy" }).toString();
    return request.headers.has("X-Auth-Return-Redirect") ? NextResponse.json({ url: url.toString() }) : NextResponse.redirect(url, 302);
  }
  return handlers.POST(request);
}
