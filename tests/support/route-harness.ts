// Calls the app's real route handlers (and Auth.js's) from an integration test, without a
// `next build`: each call runs inside the request scope Next gives a handler (its async
// storages), so `auth()`, `headers()` and `cookies()` see the request as under `next start`.
// The session comes from a real sign-in through Auth.js's own credentials callback, so the
// cookie is whatever the app's callbacks put in it.

import "./next-globals";
import { workAsyncStorage } from "next/dist/server/app-render/work-async-storage.external.js";
import { workUnitAsyncStorage } from "next/dist/server/app-render/work-unit-async-storage.external.js";
import { RequestCookies } from "next/dist/server/web/spec-extension/cookies.js";
import { NextRequest } from "next/server";

export const ORIGIN = "http://127.0.0.1:3000";

type Handler<P> = (request: NextRequest, context: { params: Promise<P> }) => Promise<Response> | Response;

/** Runs `handler` on `request` as Next would for its route. */
export function callRoute<P>(handler: Handler<P>, request: Request, params?: P): Promise<Response> {
  return inRequestScope(request, (next) => handler(next, { params: Promise.resolve((params ?? {}) as P) }));
}

/** Runs `work` inside the request scope of `request` (a server action sees its headers and cookies). */
export function inRequestScope<T>(request: Request, work: (request: NextRequest) => Promise<T> | T): Promise<T> {
  // What Next's server adds to every request: the Host header and x-forwarded-proto.
  const url = new URL(request.url);
  const headers = new Headers(request.headers);
  if (!headers.has("host")) headers.set("host", url.host);
  if (!headers.has("x-forwarded-proto")) headers.set("x-forwarded-proto", url.protocol.slice(0, -1));
  const next = new NextRequest(url, {
    method: request.method,
    headers,
    body: request.body,
    signal: request.signal,
    ...(request.body ? { duplex: "half" } : {}),
  } as ConstructorParameters<typeof NextRequest>[1]);
  // incrementalCache: present in a real request; revalidatePath() refuses to run without one.
  const workStore = { route: url.pathname, page: url.pathname, forceStatic: false, dynamicShouldError: false, isStaticGeneration: false, incrementalCache: {} };
  const requestStore = {
    type: "request",
    phase: "action",
    url: { pathname: url.pathname, search: url.search },
    headers: next.headers,
    cookies: new RequestCookies(next.headers),
    mutableCookies: new RequestCookies(new Headers()),
    // what cookies() reads in the "action" phase: the request's cookies (lib/time/viewer-clock.ts)
    userspaceMutableCookies: new RequestCookies(next.headers),
    draftMode: undefined,
  };
  return workAsyncStorage.run(workStore as never, () =>
    workUnitAsyncStorage.run(requestStore as never, async () => work(next)),
  );
}

/** Signs in through Auth.js's credentials callback; returns the Cookie header of the session. */
export async function signInCookie(auth: { GET: Handler<unknown>; POST: Handler<unknown> }, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  };
  const cookie = () => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
  const csrfResponse = await callRoute(auth.GET, new Request(`${ORIGIN}/api/auth/csrf`), { nextauth: ["csrf"] });
  keep(csrfResponse);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const signedIn = await callRoute(
    auth.POST,
    new Request(`${ORIGIN}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie(), origin: ORIGIN },
      body: new URLSearchParams({ email, password, csrfToken, callbackUrl: `${ORIGIN}/keys` }),
    }),
    { nextauth: ["callback", "credentials"] },
  );
  keep(signedIn);
  const session = [...jar.keys()].find((name) => name.endsWith("authjs.session-token"));
  if (!session) throw new Error(`sign-in failed (${signedIn.status} ${signedIn.headers.get("location")})`);
  return `${session}=${jar.get(session)}`;
}
