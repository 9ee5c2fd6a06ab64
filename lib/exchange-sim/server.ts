// The simulator's one HTTP server (node:http): parses each request once, routes /__admin to
// the admin interface and every other path to the dialect that owns it, applies injected
// faults, and exposes the programmatic ExchangeSim interface over the same state.

import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { adminHosts, type AdminAccess } from "./admin/access";
import { handleAdmin } from "./admin/routes";
import { marketId } from "./catalogue";
import type { AnyDialect, DialectServer } from "./dialect";
import { dialectOf, dialectOfRequest, dialects, type SimExchange } from "./dialects";
import { FaultRegistry } from "./faults";
import { json, type SimRequest, type SimResponse } from "./http";
import { KeyStore, publicKey, type KeyRecord } from "./keys";
import { buildLedger } from "./ledger";
import type { ExchangeSim, ExchangeSimOptions, SimDialectStats, SimFault, SimTrade } from "./types";
import { walkTrades } from "./walk";

const MAX_BODY = 1 << 20;

function clientIp(req: IncomingMessage): string {
  const a = req.socket.remoteAddress ?? "";
  return a.startsWith("::ffff:") ? a.slice(7) : a === "::1" ? "127.0.0.1" : a;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error("request body too large"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function write(res: ServerResponse, r: SimResponse): void {
  res.writeHead(r.status, { ...r.headers, "content-length": Buffer.byteLength(r.body) });
  res.end(r.body);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What a load balancer in front of an overloaded exchange answers: HTML, not the API's JSON. */
function upstreamError(status: number): SimResponse {
  const reason = status === 500 ? "Internal Server Error" : status === 502 ? "Bad Gateway" : status === 504 ? "Gateway Time-out" : "Service Temporarily Unavailable";
  return {
    status,
    headers: { "content-type": "text/html" },
    body: `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n</body>\r\n</html>\r\n`,
  };
}

export async function startExchangeSim(o: ExchangeSimOptions = {}): Promise<ExchangeSim> {
  const keys = new KeyStore(o.seed);
  const faults = new FaultRegistry();
  // Each dialect runs with its own options (o.binance, o.okx, ...) and limiter state.
  const servers = new Map<string, DialectServer<unknown>>(
    dialects().map((d): [string, DialectServer<unknown>] => [d.id, (d as AnyDialect).start(keys, (o as Record<string, unknown>)[d.id])]),
  );
  const serverOf = (exchange: string) => servers.get(exchange)!;
  let requests = 0;
  let byPath: Record<string, number> = {};
  /** Sockets held open by "timeout" faults, released on close. */
  const held = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const record = (exchange: SimExchange, apiKey: string): KeyRecord => keys.require(exchange, apiKey);

  let access: AdminAccess = { token: o.adminToken ?? randomBytes(24).toString("base64url"), hosts: new Set() };
  const sim: ExchangeSim = {
    origin: "",
    adminToken: access.token,
    adminUrl: "",
    createKey: (opts) => publicKey(keys.create(opts, Date.now())),
    deleteKey: (exchange, apiKey) => keys.delete(exchange, apiKey),
    restrictKey: (exchange, apiKey, change) => {
      keys.restrict(exchange, apiKey, change);
    },
    listKeys: (exchange) => keys.list(exchange).map(publicKey),
    trades: (exchange, apiKey, range) => {
      const r = record(exchange, apiKey);
      const h = r.historyOf(range?.product ?? "spot");
      const out: SimTrade[] = [];
      if (!h) return out;
      const offset = Math.max(0, range?.offset ?? 0);
      const end = Math.min(h.count, range?.limit === undefined ? h.count : offset + range.limit);
      // Spot and margin share symbols: a delisted pair is gone from both (exchange-wide).
      const onBook = h.product === "spot" || h.product === "margin" || h.product === "isolated_margin";
      walkTrades(h, offset, end, (t) => {
        const trade = dialectOf(exchange).tradeRecord(h, t);
        out.push(onBook && keys.isDelisted(exchange, trade.symbol) ? { ...trade, delisted: true } : trade);
      });
      return out;
    },
    tradeCount: (exchange, apiKey, product) => record(exchange, apiKey).historyOf(product ?? "spot")?.count ?? 0,
    products: (exchange, apiKey) => [...record(exchange, apiKey).products],
    ledger: (exchange, apiKey) => {
      const dialect = dialectOf(exchange);
      return buildLedger(record(exchange, apiKey), (h, t) => dialect.tradeRecord(h, t), (symbol) => keys.isDelisted(exchange, symbol));
    },
    markets: (exchange, apiKey) => {
      const r = record(exchange, apiKey);
      const h = r.history();
      const facts = r.account();
      return {
        traded: h.markets.map((m) => marketId(exchange, m)),
        hidden: facts.hiddenMarkets.map((k) => marketId(exchange, h.markets[k]!)),
        visibleAssets: [...facts.visibleAssets],
        delisted: h.markets.map((m) => marketId(exchange, m)).filter((id) => keys.isDelisted(exchange, id)),
      };
    },
    setFault: (f: SimFault) => faults.add(f),
    clearFaults: () => faults.clear(),
    faults: () => faults.list(),
    stats: () => {
      const now = Date.now();
      const perDialect: Record<string, unknown> = {};
      for (const [id, server] of servers) {
        const stats = server.stats(now);
        if (stats !== undefined) perDialect[id] = stats;
      }
      return { requests, byPath: { ...byPath }, ...(perDialect as SimDialectStats) };
    },
    resetStats: () => {
      requests = 0;
      byPath = {};
      for (const server of servers.values()) server.resetStats();
    },
    resetRateLimits: () => {
      for (const server of servers.values()) server.resetRateLimits();
    },
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const s of held) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const now = Date.now();
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    const rawQuery = q < 0 ? "" : url.slice(q + 1);
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(", ") : v;
    const simReq: SimRequest = {
      method: (req.method ?? "GET").toUpperCase(),
      path,
      rawQuery,
      query: new URLSearchParams(rawQuery),
      headers,
      body: await readBody(req),
      ip: clientIp(req),
      now,
    };

    if (path === "/__admin" || path.startsWith("/__admin/")) {
      write(res, handleAdmin(simReq, sim, access));
      return;
    }
    const exchange = dialectOfRequest(simReq)?.id as SimExchange | undefined;
    if (!exchange) {
      write(res, json(404, { error: `not an exchange path: ${path}`, simulated: true }));
      return;
    }
    requests++;
    byPath[path] = (byPath[path] ?? 0) + 1;

    const plan = faults.take(exchange, path);
    if (plan.latencyMs > 0) await sleep(plan.latencyMs);
    const fault = plan.terminal;
    if (fault?.kind === "timeout") {
      // Never answer: keep the socket until the client gives up, the hold time ends, or close().
      const socket = req.socket;
      held.add(socket);
      socket.once("close", () => held.delete(socket));
      if (fault.ms !== undefined) {
        const t = setTimeout(() => {
          timers.delete(t);
          socket.destroy();
        }, fault.ms);
        timers.add(t);
      }
      return;
    }
    if (fault?.kind === "error") {
      write(res, upstreamError(fault.status ?? 503));
      return;
    }
    const answer = await serverOf(exchange).handle(simReq);
    if (fault?.kind === "malformed") {
      // Status 200 and a body cut in half: what a proxy dropping the connection mid-body leaves.
      write(res, { status: 200, headers: answer.headers, body: answer.body.slice(0, Math.max(1, Math.floor(answer.body.length / 2))) });
      return;
    }
    write(res, answer);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      write(res, json(500, { error: `exchange simulator failure: ${e instanceof Error ? e.message : String(e)}` }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port ?? 0, o.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  sim.origin = `http://${host}:${address.port}`;
  sim.adminUrl = `${sim.origin}/__admin?token=${encodeURIComponent(access.token)}`;
  access = { ...access, hosts: adminHosts(sim.origin) };
  return sim;
}
