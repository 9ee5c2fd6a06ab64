import "server-only";
import { NextResponse } from "next/server";
import type { z } from "zod";
import { requireUser, type CurrentUser } from "@/lib/auth/current-user";
import { AppError, toHttpError } from "@/lib/errors";
import { assertSameOriginRequest, type AcceptedBody } from "./request-origin";

// The one wrapper for JSON route handlers: it refuses cross-site requests (request-origin.ts),
// checks the session itself, validates input with zod, and maps errors to statuses in one
// place. Handlers stay a few lines long.

interface Context<P> {
  user: CurrentUser;
  request: Request;
  params: P;
}

export interface RouteOptions {
  /** What a non-GET request's body must be (default JSON); see request-origin.ts. */
  accepts?: AcceptedBody;
}

export function userRoute<P = Record<string, never>>(
  handler: (ctx: Context<P>) => Promise<Response | object>,
  options: RouteOptions = {},
) {
  return async (request: Request, routeContext: { params: Promise<P> }) => {
    try {
      assertSameOriginRequest(request, options.accepts);
      const user = await requireUser();
      const params = (await routeContext?.params) ?? ({} as P);
      const result = await handler({ user, request, params });
      return result instanceof Response ? result : NextResponse.json(result);
    } catch (error) {
      const { status, body } = toHttpError(error);
      return NextResponse.json(body, { status });
    }
  };
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join(".");
  throw new AppError("BAD_REQUEST", field ? `${field}: ${issue?.message}` : (issue?.message ?? "Invalid input."), {
    issues: result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
  });
}

export function searchParamsOf(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams);
}

export async function jsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new AppError("BAD_REQUEST", "The request body must be JSON.");
  }
}
