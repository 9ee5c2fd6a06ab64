import "server-only";
import type { Db } from "@/lib/db";
import { getAdapter } from "@/lib/exchanges/registry";
import type { ExchangeGuide } from "@/lib/exchanges/types";
import { exchangeName } from "@/lib/keys/list-keys";
import { stepIndex, isWizardStep } from "@/lib/unbind/steps";
import { stepTitle } from "@/lib/unbind/step-names";
import { deviceName } from "./device-name";
import { kindOf, type AuditKind } from "./event-kinds";

// An audit event as a line of the story: what happened, to which key (label and exchange), the
// details that matter (the wizard step by name, the exchange's answer), and who did it from
// where. The key's words come from the event itself when it was written with them (recordEvent
// keeps the label and exchange of the moment), else from the binding, which an unbind keeps.

export interface PresentedEvent {
  id: string;
  at: Date;
  type: string;
  kind: AuditKind | null;
  title: string;
  detail: string | null;
  key: { label: string; exchange: string; exchangeName: string } | null;
  ip: string | null;
  device: string | null;
}

interface EventRow {
  id: bigint;
  type: string;
  bindingId: string | null;
  data: unknown;
  ip: string | null;
  userAgent: string | null;
  createdAt: Date;
}

const titles: Record<string, string> = {
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
  "unbind.acknowledged_unprovable": "Unbind completed on your word (the exchange cannot prove a deletion); the key is watched for a week",
  "unbind.key_still_answers": "An unbound key still answers on the exchange",
  "unbind.watch_ended": "Stopped watching an unbound key",
  "key.secret_shredded": "Stored secret of an unbound key destroyed",
  "alert.raised": "Alert raised about a key",
  "alert.emailed": "Alert emailed",
  "alert.dismissed": "Alert dismissed",
  "bots.moved": "Bots moved to a new key",
  "notify.target_created": "Notification webhook added",
  "notify.target_updated": "Notification webhook changed",
  "notify.target_deleted": "Notification webhook removed",
  "notify.sent": "Parties notified",
};

const gateNames: Record<string, string> = {
  backup: "Data backup",
  impact: "Impact on bots",
  security: "Account security",
  notify: "Notify relevant parties",
  review: "Regular review",
};

const answers: Record<string, string> = {
  revoked: "the key is gone",
  valid: "the key still works",
  ambiguous: "an unclear answer",
  unreachable: "no answer (unreachable)",
};

const number = new Intl.NumberFormat("en-US");
const words = (value: unknown) => String(value).replaceAll("_", " ");

function record(data: unknown): Record<string, unknown> {
  return typeof data === "object" && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}

function guideOf(exchange: string | undefined): ExchangeGuide | null {
  if (!exchange) return null;
  try {
    return getAdapter(exchange).guide;
  } catch {
    return null;
  }
}

function stepName(step: unknown, guide: ExchangeGuide | null): string {
  if (typeof step !== "string" || !isWizardStep(step)) return String(step);
  return guide ? `“${stepTitle(step, guide)}”` : `“${step}”`;
}

/** Title and detail of one event, in words. Pure apart from the guide's step names. */
export function describe(type: string, rawData: unknown, exchange: string | undefined): { title: string; detail: string | null } {
  const data = record(rawData);
  const name = exchange ? exchangeName(exchange) : "the exchange";
  const guide = guideOf(exchange);
  const reason = data.reason !== undefined ? words(data.reason) : null;
  switch (type) {
    case "unbind.step": {
      const { from, to } = data;
      if (to === "done") return { title: "Unbind wizard: review finished", detail: null };
      const back = typeof from === "string" && typeof to === "string" && isWizardStep(from) && isWizardStep(to) && stepIndex(to) < stepIndex(from);
      return { title: `Unbind wizard: ${back ? "back to" : "on to"} ${stepName(to, guide)}`, detail: from ? `from ${stepName(from, guide)}` : null };
    }
    case "unbind.gate_satisfied": {
      const extra = [data.declined ? "declined a backup" : null, data.noneNeeded ? "nobody needs to be told" : null,
        typeof data.deliveries === "number" ? `${data.delivered ?? 0} of ${data.deliveries} webhook(s) delivered` : null, reason].filter(Boolean);
      return { title: `Unbind precaution satisfied: ${gateNames[String(data.gate)] ?? words(data.gate)}`, detail: extra.join("; ") || null };
    }
    case "unbind.confirm_attempted":
      return { title: `Asked ${name} whether the key is gone`, detail: `Answer: ${answers[String(data.outcome)] ?? words(data.outcome)}${reason ? ` (${reason})` : ""}` };
    case "unbind.revoke_requested":
      return { title: `Asked ${name} to delete the key`, detail: data.result ? `Answer: ${words(data.result)}` : null };
    case "key.unbound":
      return {
        title: "secretSealedUntil" in data ? "Exchange key unbound; its secret stays sealed for the week's re-checks" : titles[type]!,
        detail: reason,
      };
    case "statement.requested":
    case "statement.stored":
    case "statement.failed": {
      const window = typeof data.from === "string" && typeof data.to === "string" ? `${data.from.slice(0, 10)} to ${data.to.slice(0, 10)}` : null;
      return { title: titles[type]!, detail: [typeof data.kind === "string" ? words(data.kind) : null, window, typeof data.reason === "string" ? data.reason : null].filter(Boolean).join(", ") || null };
    }
    case "unbind.cancelled":
      return { title: titles[type]!, detail: data.atStep ? `at ${stepName(data.atStep, guide)}` : null };
    case "unbind.started":
      return { title: titles[type]!, detail: reason ? `purpose: ${reason}` : null };
    case "unbind.bots_stopped":
    case "bots.moved":
      return { title: titles[type]!, detail: Array.isArray(data.bots) ? data.bots.map(String).join(", ") : null };
    case "export.completed":
      return { title: titles[type]!, detail: typeof data.tradesStored === "number" ? `${number.format(data.tradesStored)} new trades stored${data.complete === false ? "; coverage has gaps" : ""}` : null };
    case "backup.downloaded":
      return { title: titles[type]!, detail: [data.format ? String(data.format) : null, typeof data.rows === "number" ? `${number.format(data.rows)} rows` : null, data.complete === false ? "with gaps" : null].filter(Boolean).join(", ") || null };
    case "notify.sent":
      return { title: titles[type]!, detail: typeof data.targets === "number" ? `${data.delivered ?? 0} of ${data.targets} delivered (${words(data.eventType)})` : null };
    default:
      return { title: titles[type] ?? type, detail: reason };
  }
}

/** The events of one page (or CSV batch) in words, with their keys looked up in one query. */
export async function presentEvents(client: Db, userId: string, events: EventRow[]): Promise<PresentedEvent[]> {
  const ids = [...new Set(events.flatMap((e) => (e.bindingId ? [e.bindingId] : [])))];
  const bindings = ids.length
    ? await client.exchangeBinding.findMany({ where: { userId, id: { in: ids } }, select: { id: true, label: true, exchange: true } })
    : [];
  const byId = new Map(bindings.map((b) => [b.id, b]));
  return events.map((event) => {
    const data = record(event.data);
    const written = record(data.key);
    // key.bind_refused has no binding: its data names the exchange and label that were tried
    const label = typeof written.label === "string" ? written.label : typeof data.label === "string" ? data.label : byId.get(event.bindingId ?? "")?.label;
    const exchange = typeof written.exchange === "string" ? written.exchange : typeof data.exchange === "string" ? data.exchange : byId.get(event.bindingId ?? "")?.exchange;
    const { title, detail } = describe(event.type, data, exchange);
    return {
      id: event.id.toString(),
      at: event.createdAt,
      type: event.type,
      kind: kindOf(event.type),
      title,
      detail,
      key: label && exchange ? { label, exchange, exchangeName: exchangeName(exchange) } : null,
      ip: event.ip,
      device: event.userAgent ? deviceName(event.userAgent) : event.ip ? null : "MyITS (in the background)",
    };
  });
}
