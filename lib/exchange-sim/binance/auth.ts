// Binance request authentication for SIGNED (and USER_DATA) endpoints, checked in the order
// that decides which error a client sees: key format, key existence, timestamp and recvWindow,
// signature, IP whitelist, permission.

import type { SimRequest, SimResponse } from "../http";
import { ipAllowed, type KeyRecord, type KeyStore } from "../keys";
import { binancePayload, binanceSignature, sameSignature } from "../signing";
import { permits, type RouteAccess } from "../dialect";
import { binanceError, intParam, missingParam, ParamError } from "./errors";

const KEY_FORMAT = /^[A-Za-z0-9]{64}$/;
const DEFAULT_RECV_WINDOW = 5000;
const MAX_RECV_WINDOW = 60_000;

export type BinanceAuth = { ok: true; record: KeyRecord } | { ok: false; response: SimResponse };

export function authenticateBinance(
  req: SimRequest,
  keys: KeyStore,
  access: Exclude<RouteAccess, "public">,
): BinanceAuth {
  const fail = (response: SimResponse): BinanceAuth => ({ ok: false, response });
  const apiKey = req.headers["x-mbx-apikey"] ?? "";
  if (!KEY_FORMAT.test(apiKey)) return fail(binanceError("keyFormat"));
  const found = keys.lookup("binance", apiKey);
  // A deleted key answers -2008 everywhere. A key that never existed answers -2015 on /api
  // and -2008 on /sapi, as observed on the real exchange.
  if (found.state === "deleted") return fail(binanceError("invalidKeyId"));
  if (found.state === "unknown") return fail(binanceError(req.path.startsWith("/sapi/") ? "invalidKeyId" : "keyIpOrPermission"));
  const record = found.record;

  let timestamp: number | undefined;
  let recvWindow: number;
  try {
    timestamp = intParam(req.query, "timestamp");
    recvWindow = intParam(req.query, "recvWindow") ?? DEFAULT_RECV_WINDOW;
  } catch (e) {
    if (e instanceof ParamError) return fail(e.response);
    throw e;
  }
  if (timestamp === undefined) return fail(missingParam("timestamp"));
  if (recvWindow > MAX_RECV_WINDOW || recvWindow <= 0) return fail(binanceError("badRecvWindow"));
  if (timestamp >= req.now + 1000) return fail(binanceError("timestampAhead"));
  if (req.now - timestamp > recvWindow) return fail(binanceError("timestampOutside"));

  const signature = req.query.get("signature");
  if (!signature) return fail(missingParam("signature"));
  const expected = binanceSignature(record.key.secret, binancePayload(req.rawQuery, req.body));
  if (!sameSignature(expected, signature.toLowerCase())) return fail(binanceError("badSignature"));

  if (!ipAllowed(record.key, req.ip)) return fail(binanceError("keyIpOrPermission"));
  if (!permits(access, record)) return fail(binanceError("keyIpOrPermission"));
  return { ok: true, record };
}
