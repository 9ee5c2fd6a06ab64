import "server-only";
import type { Db } from "@/lib/db";
import { canProveDeletion, getAdapter, getPacedAdapter } from "@/lib/exchanges/registry";
import type { AdapterContext, NormalizedPermissions } from "@/lib/exchanges/types";
import { loadCredentials } from "@/lib/keys/credentials";
import { explainProblem } from "@/lib/keys/explain";
import { exchangeName } from "@/lib/keys/list-keys";
import type { ConfirmOutcome } from "./evidence";
import type { LoadedSession } from "./unbind-session";

// Success is not a button: the server asks the exchange with the stored key and only its
// "this key does not exist" completes the unbind. Every other answer is explained.

export interface ExchangeAnswer {
  outcome: ConfirmOutcome;
  reason?: string;
  message: string;
}

const CONFIRM_TIMEOUT_MS = 10_000;

export async function askExchange(client: Db, session: LoadedSession, context: AdapterContext = {}): Promise<ExchangeAnswer> {
  const adapter = getPacedAdapter(session.exchange, { timeoutMs: CONFIRM_TIMEOUT_MS, ...context });
  const name = exchangeName(session.exchange);
  const credentials = await loadCredentials(client, session.userId, session.bindingId);
  const description = await adapter.describeKey(credentials);
  const where = `Open ${name}'s API Management (${adapter.guide.apiManagementUrl}) and delete the key labelled “${session.binding.label}” (${session.binding.apiKeyMasked}), then check again.`;
  switch (description.status) {
    case "revoked":
      return { outcome: "revoked", reason: description.reason, message: `${name} confirms the key no longer exists. MyITS destroyed its stored copy.` };
    case "valid":
      return { outcome: "valid", message: `${name} still accepts this key: it has not been deleted yet. ${where}` };
    case "ambiguous":
      // An error that proves the key exists (IP not allowed, missing permission) means "still there".
      if (description.keyExists) {
        return { outcome: "valid", reason: description.reason, message: `${name} still knows this key (${explainProblem(description.reason, description.code)}). ${where}` };
      }
      if (!canProveDeletion(adapter)) {
        const alike = adapter.unprovableDeletion ?? `on ${name} a deleted key and a restricted one (IP whitelist, permissions) are refused alike`;
        return {
          outcome: "ambiguous",
          reason: description.reason,
          message: `${name} refused the key, but MyITS cannot prove that it is deleted: ${alike}. If you deleted it, confirm that below with your password; MyITS then keeps checking the key for a week.`,
        };
      }
      return {
        outcome: "ambiguous",
        reason: description.reason,
        message: `${name} refused the key without saying it is gone: ${explainProblem(description.reason, description.code)}. Make sure the key is no longer listed in API Management, then check again.`,
      };
    case "unreachable":
      return {
        outcome: "unreachable",
        reason: description.reason,
        message: `MyITS could not get an answer from ${name}: ${explainProblem(description.reason)}. Nothing was changed; try again in a minute. If ${name} stays unreachable, you can force the unbind.`,
      };
  }
}

/** Whether the wizard may offer "Revoke from here": the exchange allows it and the key holds a permission it needs. */
export function canRevokeFromHere(exchange: string, permissions: unknown): boolean {
  const adapter = getAdapter(exchange);
  const needs = adapter.guide.selfRevoke?.requiresAnyOf;
  if (!needs || !adapter.revokeSelf) return false;
  const normalized = (permissions as { normalized?: NormalizedPermissions } | null)?.normalized;
  return Boolean(normalized && needs.some((permission) => normalized[permission]));
}

export async function revokeWithKeyItself(
  client: Db,
  session: LoadedSession,
  context: AdapterContext = {},
): Promise<{ deleted: boolean; result: string; message: string }> {
  const adapter = getPacedAdapter(session.exchange, { timeoutMs: CONFIRM_TIMEOUT_MS, ...context });
  const name = exchangeName(session.exchange);
  if (!adapter.revokeSelf || !canRevokeFromHere(session.exchange, session.binding.permissions)) {
    return { deleted: false, result: "not_offered", message: `${name} does not let this key delete itself. Delete it on ${name}'s website.` };
  }
  const result = await adapter.revokeSelf(await loadCredentials(client, session.userId, session.bindingId));
  if (result.status === "deleted") return { deleted: true, result: "deleted", message: `${name} accepted the deletion.` };
  if (result.status === "not_permitted") {
    return { deleted: false, result: result.reason, message: `${name} refused: ${explainProblem(result.reason, result.code)}. Delete the key on ${name}'s website instead.` };
  }
  return { deleted: false, result: result.error.reason, message: `${name} did not delete the key: ${explainProblem(result.error.reason, result.error.code)}. Try again, or delete it on ${name}'s website.` };
}
