import { auditEventTypes, type AuditEventType } from "./record-event";

// The kinds the audit log filters by: the first part of an event's type ("unbind.step" is of
// kind "unbind"). A filter by kind is a filter by the list of its types, which an index on
// (userId, type, createdAt, id) answers.

export const auditKinds = {
  auth: "Sign-in and account",
  key: "Keys",
  backup: "Backups",
  statement: "Exchange history files",
  export: "Exports",
  unbind: "Unbind wizard",
  bots: "Bots",
  notify: "Notifications",
  alert: "Alerts",
} as const;

export type AuditKind = keyof typeof auditKinds;
export const auditKindIds = Object.keys(auditKinds) as [AuditKind, ...AuditKind[]];

export function typesOfKind(kind: AuditKind): AuditEventType[] {
  return auditEventTypes.filter((type) => type.startsWith(`${kind}.`));
}

export function kindOf(type: string): AuditKind | null {
  const prefix = type.split(".")[0];
  return prefix && prefix in auditKinds ? (prefix as AuditKind) : null;
}
