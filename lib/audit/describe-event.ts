// Human wording for audit event types; unknown types are shown as they are.
const descriptions: Record<string, string> = {
  "auth.signup": "Account created",
  "auth.login.succeeded": "Signed in",
  "auth.login.failed": "Failed sign-in attempt",
  "auth.lockout": "Sign-in slowed down after repeated failures",
  "auth.logout": "Signed out",
  "auth.reauth.succeeded": "Confirmed password for a sensitive action",
  "auth.reauth.failed": "Failed password confirmation",
  "auth.totp.enrolled": "Two-factor authentication turned on; every other session signed out",
  "auth.totp.disabled": "Two-factor authentication turned off; every other session signed out",
  "auth.recovery_code.used": "Recovery code used to sign in",
  "auth.password.changed": "Password changed; every other session signed out",
  "auth.sessions.ended": "Signed out everywhere else",
  "key.bound": "Exchange key bound",
  "key.bind_refused": "Exchange key refused",
  "key.verified": "Exchange key checked",
  "key.unbound": "Exchange key unbound and its secret destroyed",
  "backup.created": "Backup created",
  "backup.downloaded": "Backup downloaded",
  "backup.tax_exported": "History exported for a tax tool",
  "backup.imported": "Backup restored",
  "statement.requested": "Asked the exchange for its history file",
  "statement.stored": "Exchange history file stored",
  "statement.failed": "Exchange history file not obtained",
  "export.started": "Trade export started",
  "export.completed": "Trade export finished",
  "export.failed": "Trade export failed",
  "unbind.started": "Unbind wizard started",
  "unbind.step": "Unbind wizard step",
  "unbind.gate_satisfied": "Unbind precaution satisfied",
  "unbind.bots_stopped": "Bots stopped before unbinding",
  "unbind.cancelled": "Unbind wizard cancelled",
  "unbind.confirm_attempted": "Asked the exchange whether the key is gone",
  "unbind.revoke_requested": "Asked the exchange to delete the key",
  "unbind.completed": "Unbind completed",
  "unbind.forced": "Unbind forced while the exchange was unreachable",
  "bots.moved": "Bots moved to a new key",
  "notify.target_created": "Notification webhook added",
  "notify.target_updated": "Notification webhook changed",
  "notify.target_deleted": "Notification webhook removed",
  "notify.sent": "Parties notified",
};

export function describeEvent(type: string, data: unknown): string {
  const base = descriptions[type] ?? type;
  const reason = typeof data === "object" && data !== null && "reason" in data ? String((data as { reason: unknown }).reason) : null;
  return reason ? `${base} (${reason.replaceAll("_", " ")})` : base;
}
