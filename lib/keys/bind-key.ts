import "server-only";
import { Prisma } from "@/generated/prisma/client";
import { recordEvent } from "@/lib/audit/record-event";
import type { RequestMeta } from "@/lib/auth/request-meta";
import { maskKey } from "@/lib/crypto/mask";
import type { Db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { getPacedAdapter } from "@/lib/exchanges/registry";
import { reportedIpRestriction, reports } from "@/lib/exchanges/reported";
import type { AdapterContext, KeyCredentials, ValidKeyDescription } from "@/lib/exchanges/types";
import { sealCredentials } from "./credentials";
import { explainProblem } from "./explain";
import { keyFingerprint } from "./fingerprint";
import type { BindKeyInput } from "./schemas";
import { keyCheckData } from "@/lib/watch/key-checks";

// Binding a key: verified live with the exchange before anything is stored. A key that can
// withdraw is refused (MyITS never needs it, and a leak would empty the account); a key with
// no IP whitelist is accepted with a warning.

export interface BindKeyResult {
  binding: { id: string; exchange: string; label: string; apiKeyMasked: string };
  warnings: string[];
}

export async function bindKey(
  client: Db,
  userId: string,
  input: BindKeyInput,
  meta: RequestMeta,
  context: AdapterContext = {},
): Promise<BindKeyResult> {
  const adapter = getPacedAdapter(input.exchange, context);
  if (adapter.requiresPassphrase && !input.passphrase) {
    throw new AppError("BAD_REQUEST", `${adapter.displayName} keys have a passphrase: enter the one you chose when creating the key.`, { field: "passphrase" });
  }
  const fingerprint = keyFingerprint(adapter.id, input.apiKey);
  await refuseDuplicate(client, adapter.id, fingerprint);

  const credentials: KeyCredentials = { apiKey: input.apiKey, secret: input.secret, ...(input.passphrase ? { passphrase: input.passphrase } : {}) };
  const description = await adapter.describeKey(credentials);
  const masked = maskKey(input.apiKey);
  if (description.status !== "valid") {
    throw new AppError(
      description.status === "unreachable" ? "EXCHANGE_UNAVAILABLE" : "BAD_REQUEST",
      refusalMessage(adapter.displayName, description.status, explainProblem(description.reason, "code" in description ? description.code : undefined)),
      { exchangeStatus: description.status, reason: description.reason },
    );
  }
  if (description.permissions.withdraw) {
    await recordEvent(client, {
      userId,
      type: "key.bind_refused",
      data: { exchange: adapter.id, label: input.label, apiKeyMasked: masked, reason: "withdraw_enabled" },
      ...meta,
    });
    throw new AppError(
      "BAD_REQUEST",
      `This key can withdraw funds. MyITS never needs withdrawals, and a leaked key with that permission could empty your ${adapter.displayName} account. Turn "Enable Withdrawals" off for this key on ${adapter.displayName} (or create a new key without it), then bind it again.`,
      { reason: "withdraw_enabled", field: "apiKey" },
    );
  }

  const warnings = bindWarnings(adapter.displayName, description);
  try {
    return await client.$transaction(async (tx) => {
      const binding = await tx.exchangeBinding.create({
        data: {
          userId,
          exchange: adapter.id,
          label: input.label,
          apiKeyMasked: masked,
          keyFingerprint: fingerprint,
          ...sealCredentials(credentials),
          ...snapshotOf(description),
        },
        select: { id: true, exchange: true, label: true, apiKeyMasked: true },
      });
      // the first entry of the key's history (lib/watch/key-checks.ts)
      await tx.keyCheck.create({ data: keyCheckData(binding.id, description, "bind", new Date(), null) });
      await recordEvent(tx, {
        userId,
        type: "key.bound",
        bindingId: binding.id,
        data: { exchange: adapter.id, label: input.label, apiKeyMasked: masked, warnings },
        ...meta,
      });
      return { binding, warnings };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw duplicate();
    throw error;
  }
}

/** The columns that keep the exchange's last answer about a valid key. */
export function snapshotOf(description: ValidKeyDescription, now = new Date()) {
  return {
    status: "ACTIVE" as const,
    permissions: {
      normalized: description.permissions,
      raw: description.rawPermissions,
      known: description.permissionsKnown,
      ...(description.unreported?.length ? { unreported: description.unreported } : {}),
    } as unknown as Prisma.InputJsonObject,
    ipRestricted: reportedIpRestriction(description),
    ipWhitelist: description.ipWhitelist,
    keyCreatedAt: description.createdAt,
    keyExpiresAt: description.expiresAt,
    lastVerifiedAt: now,
  };
}

async function refuseDuplicate(client: Db, exchange: string, fingerprint: string) {
  const existing = await client.exchangeBinding.findFirst({ where: { exchange, keyFingerprint: fingerprint }, select: { id: true } });
  if (existing) throw duplicate();
}

function duplicate() {
  return new AppError("CONFLICT", "This API key is already bound to MyITS.", { field: "apiKey" });
}

function bindWarnings(exchangeName: string, description: ValidKeyDescription): string[] {
  const warnings: string[] = [];
  if (!description.permissionsKnown) {
    warnings.push(`${exchangeName} does not tell its keys' permissions through its API: check on ${exchangeName} that withdrawals are off.`);
  } else if (!reports(description, "ipWhitelist")) {
    warnings.push(`${exchangeName} does not report a key's IP allowlist through its API: check on ${exchangeName} that this key allows only MyITS's addresses.`);
  } else if (!description.ipRestricted) {
    warnings.push(`This key has no IP whitelist: it works from any address if it leaks. Restrict it to MyITS's addresses on ${exchangeName}.`);
  }
  return warnings;
}

function refusalMessage(exchangeName: string, status: "revoked" | "ambiguous" | "unreachable", why: string): string {
  switch (status) {
    case "revoked":
      return `${exchangeName} does not accept this key: ${why}. Check that you copied the whole key.`;
    case "ambiguous":
      return `${exchangeName} refused the key: ${why}.`;
    case "unreachable":
      return `Could not check the key with ${exchangeName}: ${why}. Nothing was saved; try again in a moment.`;
  }
}
