// The HTTP admin interface under /__admin: a thin JSON (and HTML form) transport over the
// programmatic ExchangeSim interface, so both behave the same.

import { z } from "zod";
import { html, json, type SimRequest, type SimResponse } from "../http";
import { SIM_PRODUCTS, type ExchangeSim, type SimKey, type SimProduct } from "../types";
import { checkAdminAccess, type AdminAccess } from "./access";
import { adminPage } from "./page";

const exchange = z.enum(["binance", "okx", "bybit", "kucoin", "gate"]);
const date = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const permissions = z
  .object({
    read: z.boolean(),
    spotTrade: z.boolean(),
    marginTrade: z.boolean(),
    futuresTrade: z.boolean(),
    withdraw: z.boolean(),
    transfer: z.boolean(),
  })
  .partial()
  .strict();

const product = z.enum(SIM_PRODUCTS as [SimProduct, ...SimProduct[]]);

const createKeySchema = z
  .object({
    exchange,
    label: z.string().max(200).optional(),
    permissions: permissions.optional(),
    ipWhitelist: z.array(z.string().min(1)).optional(),
    createdAt: date.optional(),
    expiresAt: date.nullable().optional(),
    passphrase: z.string().min(1).max(64).optional(),
    trades: z
      .object({
        count: z.number().int().min(0).max(50_000_000),
        markets: z.number().int().min(0),
        seed: z.number().int().min(0).optional(),
        startTime: date.optional(),
        endTime: date.optional(),
        products: z
          .partialRecord(product, z.object({ count: z.number().int().min(0).max(50_000_000), markets: z.number().int().min(0), startTime: date.optional() }).strict())
          .optional(),
      })
      .strict()
      .optional(),
    ledger: z
      .object({ converts: z.number().int().min(0), dust: z.number().int().min(0), income: z.number().int().min(0), delisted: z.number().int().min(0) })
      .partial()
      .strict()
      .optional(),
  })
  .strict();

const restrictSchema = z
  .object({ permissions: permissions.optional(), ipWhitelist: z.array(z.string().min(1)).optional(), expiresAt: date.nullable().optional() })
  .strict();

const faultSchema = z
  .object({
    exchange: exchange.optional(),
    pathPrefix: z.string().startsWith("/").optional(),
    kind: z.enum(["latency", "error", "timeout", "malformed"]),
    ms: z.number().int().min(0).optional(),
    status: z.number().int().min(100).max(599).optional(),
    count: z.number().int().min(1).optional(),
  })
  .strict();

function keyJson(k: SimKey): Record<string, unknown> {
  return { ...k, createdAt: k.createdAt.toISOString(), expiresAt: k.expiresAt?.toISOString() ?? null };
}

function badRequest(message: string): SimResponse {
  return json(400, { error: message });
}

function parseJson(body: string): unknown {
  try {
    return body === "" ? {} : JSON.parse(body);
  } catch {
    return undefined;
  }
}

function validation<T>(schema: z.ZodType<T>, body: string): { ok: true; value: T } | { ok: false; response: SimResponse } {
  const parsed = schema.safeParse(parseJson(body));
  if (!parsed.success) return { ok: false, response: badRequest(z.prettifyError(parsed.error)) };
  return { ok: true, value: parsed.data };
}

/** Runs a programmatic call; a thrown Error (unknown key, bad options) becomes a 4xx answer. */
function attempt(fn: () => SimResponse, status = 404): SimResponse {
  try {
    return fn();
  } catch (e) {
    return json(status, { error: e instanceof Error ? e.message : String(e) });
  }
}

const redirectHome: SimResponse = { status: 303, headers: { location: "/__admin" }, body: "" };

export function handleAdmin(req: SimRequest, sim: ExchangeSim, access: AdminAccess): SimResponse {
  // The Host allow-list always; the token for everything but the health check (access.ts).
  const isHealth = req.method === "GET" && req.path === "/__admin/health";
  const refused = checkAdminAccess(req, access, isHealth);
  if (refused) return refused;
  // Only same-origin pages may change state: a web page elsewhere must not delete demo keys.
  const origin = req.headers["origin"];
  if (req.method !== "GET" && origin !== undefined && origin !== sim.origin && origin !== `http://${req.headers["host"] ?? ""}`) {
    return json(403, { error: "cross-origin admin requests are refused" });
  }
  const parts = req.path.split("/").filter(Boolean).slice(1).map(decodeURIComponent); // drop "__admin"
  const [section, ex, apiKey, action] = parts;
  const m = req.method;

  if (parts.length === 0 && m === "GET") return html(200, adminPage(sim.listKeys(), sim.origin, req.now), { "cache-control": "no-store" });
  if (section === "health" && m === "GET") return json(200, { ok: true, simulated: true });

  if (section === "keys") {
    if (parts.length === 1 && m === "GET") {
      const filter = req.query.get("exchange");
      const parsed = filter ? exchange.safeParse(filter) : undefined;
      if (parsed && !parsed.success) return badRequest("unknown exchange");
      return json(200, { keys: sim.listKeys(parsed?.data).map(keyJson) });
    }
    if (parts.length === 1 && m === "POST") {
      const v = validation(createKeySchema, req.body);
      if (!v.ok) return v.response;
      return attempt(() => json(201, { key: keyJson(sim.createKey(v.value)) }), 400);
    }
    if (parts.length === 2 && ex === "new" && m === "POST") {
      // The HTML page's create form (application/x-www-form-urlencoded).
      const f = new URLSearchParams(req.body);
      const parsed = exchange.safeParse(f.get("exchange"));
      if (!parsed.success) return badRequest("unknown exchange");
      const count = Number(f.get("trades") ?? "0");
      return attempt(() => {
        sim.createKey({
          exchange: parsed.data,
          label: f.get("label") || undefined,
          permissions: { spotTrade: f.has("spotTrade"), withdraw: f.has("withdraw"), transfer: f.has("transfer") },
          trades: { count: Number.isSafeInteger(count) && count >= 0 ? Math.min(count, 1_000_000) : 0, markets: 5 },
        });
        return redirectHome;
      }, 400);
    }
    const parsedEx = exchange.safeParse(ex);
    if (!parsedEx.success || !apiKey) return json(404, { error: "no such admin route" });
    const exName = parsedEx.data;
    if (parts.length === 3 && m === "GET") {
      return attempt(() => {
        const key = sim.listKeys(exName).find((k) => k.apiKey === apiKey);
        if (!key) throw new Error(`no active ${exName} key ${apiKey}`);
        return json(200, { key: keyJson(key), tradeCount: sim.tradeCount(exName, apiKey), markets: sim.markets(exName, apiKey) });
      });
    }
    if ((parts.length === 3 && m === "DELETE") || (action === "delete" && m === "POST")) {
      return attempt(() => {
        sim.deleteKey(exName, apiKey);
        return action === "delete" ? redirectHome : json(200, { deleted: true });
      });
    }
    if (parts.length === 3 && m === "PATCH") {
      const v = validation(restrictSchema, req.body);
      if (!v.ok) return v.response;
      return attempt(() => {
        sim.restrictKey(exName, apiKey, v.value);
        const key = sim.listKeys(exName).find((k) => k.apiKey === apiKey)!;
        return json(200, { key: keyJson(key) });
      });
    }
    if (action === "trades" && m === "GET") {
      // A page of the ground truth, for checking an export from outside the test process.
      const offset = Math.max(0, Number(req.query.get("offset") ?? "0") || 0);
      const limit = Math.min(10_000, Math.max(1, Number(req.query.get("limit") ?? "1000") || 1000));
      const p = product.safeParse(req.query.get("product") ?? "spot");
      if (!p.success) return json(400, { error: "product must be one of " + SIM_PRODUCTS.join(", ") });
      return attempt(() => {
        const total = sim.tradeCount(exName, apiKey, p.data);
        return json(200, { total, offset, trades: sim.trades(exName, apiKey, { offset, limit, product: p.data }) });
      });
    }
    if (action === "ledger" && m === "GET") {
      return attempt(() => json(200, sim.ledger(exName, apiKey)));
    }
  }

  if (section === "faults" && parts.length === 1) {
    if (m === "GET") return json(200, { faults: sim.faults() });
    if (m === "POST") {
      const v = validation(faultSchema, req.body);
      if (!v.ok) return v.response;
      return attempt(() => {
        sim.setFault(v.value);
        return json(201, { faults: sim.faults() });
      }, 400);
    }
    if (m === "DELETE") {
      sim.clearFaults();
      return json(200, { faults: [] });
    }
  }
  if (section === "rate-limits" && ex === "reset" && m === "POST") {
    sim.resetRateLimits();
    return json(200, { reset: true });
  }
  if (section === "stats") {
    if (parts.length === 1 && m === "GET") return json(200, sim.stats());
    if (ex === "reset" && m === "POST") {
      sim.resetStats();
      return json(200, { reset: true });
    }
  }
  return json(404, { error: "no such admin route" });
}
