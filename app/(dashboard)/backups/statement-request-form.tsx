"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import type { FormState } from "@/lib/http/form-state";
import { requestStatementAction } from "./actions";

// One offered window of an exchange's history file: what it costs, a tick that the user has read
// it, and the request. The server checks the window, the session and the tick again.

export function StatementRequestForm({ bindingId, kind, from, to, label }: { bindingId: string; kind: string; from: string; to: string; label: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(requestStatementAction, {});
  return (
    <form action={action} className="flex flex-wrap items-center gap-3 text-sm" data-testid="statement-request" data-from={from} data-to={to}>
      <input type="hidden" name="bindingId" value={bindingId} />
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="from" value={from} />
      <input type="hidden" name="to" value={to} />
      <span className="font-medium">{label}</span>
      <label className="flex items-center gap-1">
        <input type="checkbox" name="understood" value="yes" required />
        <span>I understand this uses one of this month&apos;s downloads</span>
      </label>
      <Button type="submit" variant="secondary" disabled={pending}>{pending ? "Asking…" : "Ask for this file"}</Button>
      {state.message ? (
        <span role={state.ok ? "status" : "alert"} className={state.ok ? "text-emerald-800" : "text-red-700"}>
          {state.ok ? state.message : (state.fieldErrors?.understood ?? state.message)}
        </span>
      ) : null}
    </form>
  );
}
