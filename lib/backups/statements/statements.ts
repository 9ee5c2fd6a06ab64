import "server-only";
import { createHash } from "node:crypto";
import { recordEvent } from "@/lib/audit/record-event";
import { noRequestMeta, type RequestMeta } from "@/lib/auth/request-meta";
import { STATEMENT_MAX_BYTES } from "@/lib/backups/archive/types";
import type { CoverageReport } from "@/lib/backups/coverage/coverage-report";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { isExchangeAdapterError } from "@/lib/exchanges/errors";
import { getAdapter, getPacedAdapter } from "@/lib/exchanges/registry";
import type { StatementKind } from "@/lib/exchanges/types";
import { loadCredentials } from "@/lib/keys/credentials";
import { statementWindows, type Window } from "./statement-windows";

// An exchange's own history file for a part its API cuts off (lib/exchanges/types.ts,
// StatementCapability), from the user's request to the file stored in Postgres:
//   requestStatement  the user asks for one window (one of the exchange's few a month)
//   advanceStatement  the statement job polls until the file is ready, then fetches and stores it
// Stored files go into every later backup of the key (statements/ in the archive, listed and
// hashed in the manifest and coverage.json), exactly as the exchange delivered them.

/** The link expires after a day; stop polling a file that is not ready after this long. */
const GIVE_UP_AFTER_MS = 3 * 86_400_000;

export interface StatementView {
  id: string;
  kind: string;
  title: string;
  from: Date;
  to: Date;
  status: "REQUESTED" | "STORED" | "FAILED" | "EXPIRED";
  requestedAt: Date;
  storedAt: Date | null;
  typicalMs: number | null;
  fileName: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  error: string | null;
}

export interface StatementOffer {
  kind: StatementKind;
  /** Where the API's own history of the part begins now (the coverage report's limit). */
  cutoff: Date;
  /** Windows not yet covered by a stored or pending statement, newest first. */
  windows: Window[];
}

export interface KeyStatements {
  offers: StatementOffer[];
  statements: StatementView[];
}

function adapterStatements(exchange: string) {
  return getAdapter(exchange).statements ?? null;
}

/** What the backups page offers for a key, given its newest coverage report. */
export async function keyStatements(client: Db, userId: string, bindingId: string, exchange: string, coverage: CoverageReport | null): Promise<KeyStatements> {
  const capability = adapterStatements(exchange);
  if (!capability) return { offers: [], statements: [] };
  const rows = await client.exchangeStatement.findMany({
    where: { userId, bindingId },
    orderBy: [{ rangeTo: "desc" }, { requestedAt: "desc" }],
  });
  const statements = rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    title: capability.kinds.find((k) => k.id === row.kind)?.title ?? row.kind,
    from: row.rangeFrom,
    to: row.rangeTo,
    status: row.status,
    requestedAt: row.requestedAt,
    storedAt: row.storedAt,
    typicalMs: row.typicalMs,
    fileName: row.fileName,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    error: row.error,
  }));
  const offers: StatementOffer[] = [];
  for (const kind of capability.kinds) {
    const limit = coverage?.limits.find((l) => l.part === kind.part);
    if (!limit) continue;
    const cutoff = new Date(limit.availableFrom);
    const taken = rows.filter((r) => r.kind === kind.id && (r.status === "REQUESTED" || r.status === "STORED")).map((r) => ({ from: r.rangeFrom, to: r.rangeTo }));
    offers.push({ kind, cutoff, windows: statementWindows(kind.earliest, cutoff, kind.maxWindowMs, taken) });
  }
  return { offers, statements };
}

export interface StatementRequest {
  bindingId: string;
  kind: string;
  from: Date;
  to: Date;
}

/**
 * Asks the exchange to prepare one window's file and records the request. The window must be
 * one the page offers (within the product's history, at most one request long, not covered by
 * another statement), so a request never spends the user's monthly quota on nothing.
 */
export async function requestStatement(client: Db, userId: string, input: StatementRequest, options: { meta?: RequestMeta; now?: Date } = {}): Promise<StatementView["id"]> {
  const binding = await client.exchangeBinding.findFirst({ where: { id: input.bindingId, userId, status: { not: "UNBOUND" } }, select: { id: true, exchange: true, status: true } });
  if (!binding) throw new AppError("NOT_FOUND", "No such key.");
  if (binding.status === "REVOKED") throw new AppError("CONFLICT", "This key no longer exists on the exchange, so it cannot ask for a history file.");
  const capability = adapterStatements(binding.exchange);
  const kind = capability?.kinds.find((k) => k.id === input.kind);
  if (!capability || !kind) throw new AppError("BAD_REQUEST", "This exchange offers no such history file.", { field: "kind" });
  const now = options.now ?? new Date();
  const span = input.to.getTime() - input.from.getTime();
  if (span <= 0 || span > kind.maxWindowMs) throw new AppError("BAD_REQUEST", "A history file covers at most one year, and must end after it starts.", { field: "from" });
  if (input.from < kind.earliest || input.to > now) throw new AppError("BAD_REQUEST", `The window must lie between ${kind.earliest.toISOString().slice(0, 10)} and now.`, { field: "from" });
  const overlapping = await client.exchangeStatement.findFirst({
    where: { bindingId: binding.id, kind: kind.id, status: { in: ["REQUESTED", "STORED"] }, rangeFrom: { lt: input.to }, rangeTo: { gt: input.from } },
    select: { id: true },
  });
  if (overlapping) throw new AppError("CONFLICT", "A history file of this window is already stored or being prepared.");

  const credentials = await loadCredentials(client, userId, binding.id);
  let answer: { downloadId: string; typicalMs: number | null };
  const meta = options.meta ?? noRequestMeta;
  try {
    answer = await capability.request(credentials, kind.id, input.from, input.to);
  } catch (error) {
    const reason = refusal(error);
    await recordEvent(client, { userId, type: "statement.failed", bindingId: binding.id, data: { kind: kind.id, from: input.from.toISOString(), to: input.to.toISOString(), reason }, ip: meta.ip, userAgent: meta.userAgent });
    throw new AppError("CONFLICT", `${getAdapter(binding.exchange).displayName} did not take the request: ${reason}`);
  }
  const typicalMs = answer.typicalMs !== null && answer.typicalMs >= 0 && answer.typicalMs < 2 ** 31 ? Math.round(answer.typicalMs) : null;
  const data = { status: "REQUESTED" as const, downloadId: answer.downloadId, typicalMs, polls: 0, error: null, fileName: null, sha256: null, sizeBytes: null, content: null, storedAt: null, requestedAt: now };
  // a failed or expired request of the same window is taken over
  const row = await client.exchangeStatement.upsert({
    where: { bindingId_kind_rangeFrom_rangeTo: { bindingId: binding.id, kind: kind.id, rangeFrom: input.from, rangeTo: input.to } },
    create: { userId, bindingId: binding.id, kind: kind.id, part: kind.part, rangeFrom: input.from, rangeTo: input.to, ...data },
    update: data,
    select: { id: true },
  });
  await recordEvent(client, {
    userId,
    type: "statement.requested",
    bindingId: binding.id,
    data: { statementId: row.id, kind: kind.id, from: input.from.toISOString(), to: input.to.toISOString(), downloadId: answer.downloadId },
    ip: meta.ip,
    userAgent: meta.userAgent,
  });
  return row.id;
}

/** The exchange's refusal in our words (never its raw text, which may hold a signed URL). */
function refusal(error: unknown): string {
  if (isExchangeAdapterError(error)) {
    const c = error.classified;
    return c.code ? `${c.message} (code ${c.code}).` : `${c.message}.`;
  }
  if (error instanceof RangeError) return error.message;
  throw error;
}

export type StatementStep = { state: "stored" | "failed" | "expired" | "gone" } | { state: "waiting"; retryInMs: number };

/** One step of the statement job: poll; when ready, fetch and store the file. */
export async function advanceStatement(client: Db, statementId: string, now: Date = new Date()): Promise<StatementStep> {
  const row = await client.exchangeStatement.findUnique({ where: { id: statementId }, include: { binding: { select: { exchange: true, status: true } } } });
  if (!row || row.status !== "REQUESTED" || !row.downloadId || row.binding.status === "UNBOUND") return { state: "gone" };
  // the job polls on its own schedule: nobody waits for this answer
  const adapter = getPacedAdapter(row.binding.exchange, { priority: "background" });
  const capability = adapter.statements;
  const fail = async (status: "FAILED" | "EXPIRED", reason: string): Promise<StatementStep> => {
    await client.exchangeStatement.update({ where: { id: row.id }, data: { status, error: reason } });
    await recordEvent(client, { userId: row.userId, type: "statement.failed", bindingId: row.bindingId, data: { statementId: row.id, kind: row.kind, reason } });
    return { state: status === "FAILED" ? "failed" : "expired" };
  };
  if (!capability) return fail("FAILED", `${adapter.displayName} no longer offers this file through MyITS.`);
  if (now.getTime() - row.requestedAt.getTime() > GIVE_UP_AFTER_MS) return fail("FAILED", `${adapter.displayName} had not prepared the file three days after the request.`);

  const credentials = await loadCredentials(client, row.userId, row.bindingId);
  try {
    const answer = await capability.poll(credentials, row.kind, row.downloadId);
    if (answer.state === "processing") {
      await client.exchangeStatement.update({ where: { id: row.id }, data: { polls: { increment: 1 } } });
      return { state: "waiting", retryInMs: pollDelay(row.typicalMs, row.polls + 1) };
    }
    if (answer.state === "expired") return fail("EXPIRED", `${adapter.displayName}'s link to the file expired before MyITS fetched it; ask for the window again.`);
    const file = await capability.download(credentials, answer.url, STATEMENT_MAX_BYTES);
    const sha256 = createHash("sha256").update(file.bytes).digest("hex");
    await client.$transaction(async (tx) => {
      await tx.exchangeStatement.update({
        where: { id: row.id },
        data: { status: "STORED", polls: { increment: 1 }, fileName: file.fileName, content: Buffer.from(file.bytes), sizeBytes: file.bytes.length, sha256, storedAt: now, error: null },
      });
      await recordEvent(tx, { userId: row.userId, type: "statement.stored", bindingId: row.bindingId, data: { statementId: row.id, kind: row.kind, bytes: file.bytes.length, sha256 } });
    });
    return { state: "stored" };
  } catch (error) {
    if (!isExchangeAdapterError(error)) throw error;
    // a transient failure (timeout, rate limit, 5xx): try again later; anything else is final
    if (error.classified.status === "unreachable" && error.classified.reason !== "malformed_response") {
      return { state: "waiting", retryInMs: Math.max(error.classified.retryAfterMs ?? 0, pollDelay(row.typicalMs, row.polls + 1)) };
    }
    return fail("FAILED", refusal(error));
  }
}

/** A tenth of what the exchange says preparing takes, growing with each poll, between 2 s and 10 min. */
export function pollDelay(typicalMs: number | null, polls: number): number {
  const base = typicalMs === null ? 60_000 : typicalMs / 10;
  return Math.round(Math.min(600_000, Math.max(2_000, base * Math.min(polls, 5))));
}

export interface StoredStatement {
  kind: string;
  part: string;
  from: Date;
  to: Date;
  downloadId: string | null;
  /** The archive path: statements/<exchange>-<kind>-<from>-<to><extension>, times as 20250601T000000Z. */
  path: string;
  bytes: Uint8Array;
}

/** The key's stored files, oldest window first, for a backup archive. */
export async function storedStatements(client: Db, userId: string, bindingId: string, exchange: string): Promise<StoredStatement[]> {
  const rows = await client.exchangeStatement.findMany({
    where: { userId, bindingId, status: "STORED" },
    orderBy: [{ kind: "asc" }, { rangeFrom: "asc" }, { rangeTo: "asc" }],
    omit: { content: false },
  });
  return rows
    .filter((r) => r.content !== null)
    .map((r) => ({ kind: r.kind, part: r.part, from: r.rangeFrom, to: r.rangeTo, downloadId: r.downloadId, path: statementPath(exchange, r.kind, r.rangeFrom, r.rangeTo, r.fileName), bytes: new Uint8Array(r.content!) }));
}

export function statementPath(exchange: string, kind: string, from: Date, to: Date, fileName: string | null): string {
  const day = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  const extension = /\.(zip|csv|xlsx|gz)$/i.exec(fileName ?? "")?.[0]?.toLowerCase() ?? ".bin";
  return `statements/${exchange}-${kind}-${day(from)}-${day(to)}${extension}`;
}
