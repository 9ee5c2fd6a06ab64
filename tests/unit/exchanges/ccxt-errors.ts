import ccxt from "ccxt";

// Produces the exception ccxt itself throws for an HTTP answer, by running the exchange
// class's own error handling (handleErrors, then the HTTP status table) on the body: the
// tests classify what ccxt really raises, not hand-made errors.
export function ccxtErrorFor(
  exchangeId: "binance" | "okx" | "bybit" | string,
  status: number,
  body: string,
  { url, authenticatedBefore = false }: { url?: string; authenticatedBefore?: boolean } = {},
): Error {
  // handleErrors / handleHttpStatusCode are ccxt internals, absent from its typings
  interface ErrorHandling {
    options: Record<string, unknown>;
    handleErrors(...args: unknown[]): unknown;
    handleHttpStatusCode(...args: unknown[]): void;
  }
  const Class = (ccxt as unknown as Record<string, new () => ErrorHandling>)[exchangeId]!;
  const exchange = new Class();
  if (authenticatedBefore) exchange.options.hasAlreadyAuthenticatedSuccessfully = true;
  const target = url ?? "http://127.0.0.1:4010/sapi/v1/account/apiRestrictions";
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  try {
    const skip = exchange.handleErrors(status, reasonFor(status), target, "GET", {}, body, parsed, {}, undefined);
    if (skip === undefined) exchange.handleHttpStatusCode(status, reasonFor(status), target, "GET", body);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`ccxt did not throw for ${status} ${body}`);
}

function reasonFor(status: number): string {
  return (
    { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 418: "I'm a teapot", 429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable" }[
      status
    ] ?? "Error"
  );
}
