import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { Db, Tx } from "@/lib/db";

// The audit log is append-only (a database trigger refuses UPDATE and DELETE). Writers pass the
// transaction they are in, so an event is recorded exactly when the change it describes is.

export const auditEventTypes = [
  "auth.signup",
  "auth.login.succeeded",
  "auth.login.failed",
  "auth.lockout",
  "auth.logout",
  "auth.reauth.succeeded",
  "auth.reauth.failed",
  "auth.totp.enrolled",
  "auth.totp.disabled",
  "auth.recovery_code.used",
  "auth.password.changed",
  "auth.sessions.ended",
  "key.bound",
  "key.bind_refused",
  "key.verified",
  "key.unbound",
  "backup.created",
  "backup.downloaded",
  "backup.tax_exported",
  "backup.imported",
  "statement.requested", "statement.stored", "statement.failed",
  "export.started", "export.completed", "export.failed",
  "unbind.started",
  "unbind.step",
  "unbind.gate_satisfied",
  "unbind.bots_stopped",
  "unbind.cancelled",
  "unbind.confirm_attempted",
  "unbind.revoke_requested",
  "unbind.completed",
  "unbind.forced",
  "bots.moved",
  "notify.target_created",
  "notify.target_updated",
  "notify.target_deleted",
  "notify.sent",
] as const;

export type AuditEventType = (typeof auditEventTypes)[number];

export interface AuditEventInput {
  userId: string | null;
  type: AuditEventType;
  bindingId?: string | null;
  data?: Prisma.InputJsonObject;
  ip?: string | null;
  userAgent?: string | null;
}

/** The row of an event, for writers that batch it with other statements in one transaction. */
export function auditEventRow(event: AuditEventInput) {
  return {
    userId: event.userId,
    type: event.type,
    bindingId: event.bindingId ?? null,
    data: event.data ?? {},
    ip: event.ip ?? null,
    userAgent: event.userAgent ?? null,
  };
}

export async function recordEvent(client: Db | Tx, event: AuditEventInput): Promise<void> {
  await client.auditEvent.create({ data: auditEventRow(event) });
}
