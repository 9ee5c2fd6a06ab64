import "server-only";
import { randomUUID } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { recordEvent } from "@/lib/audit/record-event";
import type { Db } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { BlockedDestinationError, hostOf, isPublicAddress, publicOnlyLookup } from "./destination-policy";
import { enabledTargetsWithSecrets, targetSecret } from "./notification-targets";
import { EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, signWebhook } from "./webhook-signature";

// Sends one event to every enabled webhook of a user: a JSON body signed with the target's
// secret, retried with exponential backoff on timeouts, network errors, 5xx, 408 and 429, given
// up at once on any other 4xx (the receiver will not change its mind). Every attempt is written
// to WebhookDelivery so the wizard can show what happened. Callers pass only what a third party
// may see: exchange, label, masked key, bot names. Never a secret, never a full API key.

export const DEFAULT_RETRY_DELAYS_MS = [500, 2_000, 5_000];
export const DEFAULT_TIMEOUT_MS = 5_000;
/**
 * Deliveries run while the user waits (the wizard's notify step), so retries stop once another
 * attempt could end later than this; the wizard then offers Retry. Without it, a receiver that
 * never answers kept the page waiting ~27 s (four 5 s timeouts and the delays between).
 */
export const DEFAULT_BUDGET_MS = 10_000;

export interface DeliveryOptions {
  retryDelaysMs?: number[];
  timeoutMs?: number;
  /** Default: WEBHOOK_ALLOW_PRIVATE_NETWORKS (see destination-policy.ts). */
  allowPrivateNetworks?: boolean;
  /** Default DEFAULT_BUDGET_MS. */
  budgetMs?: number;
}

export interface DeliveryView {
  id: string;
  targetName: string;
  targetUrl: string;
  eventType: string;
  status: "PENDING" | "DELIVERED" | "FAILED";
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

const viewSelect = {
  id: true,
  targetName: true,
  targetUrl: true,
  eventType: true,
  status: true,
  attempts: true,
  lastStatusCode: true,
  lastError: true,
  deliveredAt: true,
  createdAt: true,
} as const;

type Row = { [K in keyof typeof viewSelect]: unknown } & { deliveredAt: Date | null; createdAt: Date };

function toView(row: Row): DeliveryView {
  return { ...(row as unknown as DeliveryView), deliveredAt: row.deliveredAt?.toISOString() ?? null, createdAt: row.createdAt.toISOString() };
}

type AttemptOutcome = { delivered: true; status: number } | { delivered: false; retry: boolean; status: number | null; error: string };

/** POSTs `body` and resolves with the status code; the answer's body is discarded. */
function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number, publicOnly: boolean): Promise<number> {
  const target = new URL(url);
  const host = hostOf(target);
  // An IP literal is connected to without a lookup: judge it here.
  if (publicOnly && isIP(host) !== 0 && !isPublicAddress(host)) return Promise.reject(new BlockedDestinationError(host));
  const transport = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      target,
      {
        method: "POST",
        headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
        signal: AbortSignal.timeout(timeoutMs),
        ...(publicOnly ? { lookup: publicOnlyLookup } : {}),
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

async function attempt(url: string, body: string, headers: Record<string, string>, timeoutMs: number, publicOnly: boolean): Promise<AttemptOutcome> {
  try {
    // Redirects are not followed (a 3xx is a failure): they could lead anywhere.
    const status = await post(url, body, headers, timeoutMs, publicOnly);
    if (status >= 200 && status < 300) return { delivered: true, status };
    const retry = status >= 500 || status === 408 || status === 429;
    return { delivered: false, retry, status, error: `the receiver answered HTTP ${status}` };
  } catch (error) {
    if (error instanceof BlockedDestinationError) {
      return { delivered: false, retry: false, status: null, error: `not sent: ${error.message} (webhooks go to public addresses only)` };
    }
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return { delivered: false, retry: true, status: null, error: timedOut ? "no answer in time" : "could not connect" };
  }
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends a stored delivery until it succeeds, fails for good, or runs out of attempts. */
async function send(client: Db, deliveryId: string, secret: string, options: DeliveryOptions): Promise<DeliveryView> {
  const delivery = await client.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const deadline = Date.now() + (options.budgetMs ?? DEFAULT_BUDGET_MS);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const publicOnly = !(options.allowPrivateNetworks ?? env().WEBHOOK_ALLOW_PRIVATE_NETWORKS);
  let attempts = delivery.attempts;
  for (let round = 0; round <= delays.length; round++) {
    if (round > 0) await wait(delays[round - 1]!);
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      "Content-Type": "application/json",
      "User-Agent": "MyITS-Webhooks/1",
      [SIGNATURE_HEADER]: signWebhook(secret, delivery.payload, timestamp),
      [EVENT_ID_HEADER]: delivery.eventId,
      [EVENT_TYPE_HEADER]: delivery.eventType,
    };
    const outcome = await attempt(delivery.targetUrl, delivery.payload, headers, timeoutMs, publicOnly);
    attempts += 1;
    const outOfTime = round < delays.length && Date.now() + delays[round]! + timeoutMs > deadline;
    const last = outcome.delivered || !outcome.retry || round === delays.length || outOfTime;
    const error = outcome.delivered ? null : outcome.retry && outOfTime ? `${outcome.error}; stopped retrying for now` : outcome.error;
    const row = await client.webhookDelivery.update({
      where: { id: deliveryId },
      data: {
        attempts,
        lastStatusCode: outcome.status,
        lastError: error,
        status: outcome.delivered ? "DELIVERED" : last ? "FAILED" : "PENDING",
        deliveredAt: outcome.delivered ? new Date() : null,
      },
      select: viewSelect,
    });
    if (last) return toView(row);
  }
  throw new Error("unreachable");
}

export async function notifyParties(
  client: Db,
  userId: string,
  event: { type: string; data: Record<string, unknown> },
  options: DeliveryOptions & { unbindSessionId?: string } = {},
): Promise<DeliveryView[]> {
  const targets = await enabledTargetsWithSecrets(client, userId);
  if (targets.length === 0) return [];
  const eventId = `evt_${randomUUID()}`;
  const payload = JSON.stringify({ id: eventId, type: event.type, createdAt: new Date().toISOString(), data: event.data });
  const deliveries = await Promise.all(
    targets.map(async (target) => {
      const row = await client.webhookDelivery.create({
        data: {
          userId,
          targetId: target.id,
          targetName: target.name,
          targetUrl: target.url,
          unbindSessionId: options.unbindSessionId ?? null,
          eventId,
          eventType: event.type,
          payload,
        },
        select: { id: true },
      });
      return send(client, row.id, target.secret, options);
    }),
  );
  await recordEvent(client, {
    userId,
    type: "notify.sent",
    data: { eventId, eventType: event.type, targets: deliveries.length, delivered: deliveries.filter((d) => d.status === "DELIVERED").length },
  });
  return deliveries;
}

/** Sends a failed delivery again: the same event (same id and body), a fresh signature. */
export async function retryDelivery(client: Db, userId: string, deliveryId: string, options: DeliveryOptions = {}): Promise<DeliveryView> {
  const delivery = await client.webhookDelivery.findFirst({ where: { id: deliveryId, userId }, select: { status: true, targetId: true } });
  if (!delivery) throw new AppError("NOT_FOUND", "No such notification.");
  if (delivery.status === "DELIVERED") throw new AppError("CONFLICT", "This notification was already delivered.");
  if (!delivery.targetId) throw new AppError("CONFLICT", "The webhook of this notification was removed.");
  const secret = await targetSecret(client, userId, delivery.targetId);
  await client.webhookDelivery.update({ where: { id: deliveryId }, data: { status: "PENDING" } });
  return send(client, deliveryId, secret, options);
}

export async function listDeliveries(client: Db, userId: string, filter: { unbindSessionId?: string } = {}): Promise<DeliveryView[]> {
  const rows = await client.webhookDelivery.findMany({
    where: { userId, ...(filter.unbindSessionId ? { unbindSessionId: filter.unbindSessionId } : {}) },
    select: viewSelect,
    orderBy: { createdAt: "desc" },
    take: 50,
  });
  return rows.map(toView);
}
