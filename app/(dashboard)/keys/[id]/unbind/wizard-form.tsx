"use client";

import { useActionState, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { wizardAction, type WizardFormState } from "./actions";

// One wizard action as a form: hidden fields say which action, the server answers with a
// message shown next to the button. Works by keyboard alone (a real form, a real button).

export function WizardForm({
  sessionId,
  type,
  fields = {},
  children,
  label,
  pendingLabel = "Working…",
  variant = "primary",
  disabled = false,
  describedBy,
  testId,
  answerShownElsewhere = false,
}: {
  sessionId: string;
  type: string;
  fields?: Record<string, string>;
  children?: ReactNode;
  label: string;
  pendingLabel?: string;
  variant?: "primary" | "secondary" | "danger";
  disabled?: boolean;
  describedBy?: string;
  testId?: string;
  /** The page shows the answer of a successful action itself (e.g. "Last answer"): only refusals appear here. */
  answerShownElsewhere?: boolean;
}) {
  const [state, action, pending] = useActionState<WizardFormState, FormData>(wizardAction, {});
  return (
    <form action={action} className="space-y-3" data-testid={testId}>
      <input type="hidden" name="sessionId" value={sessionId} />
      <input type="hidden" name="type" value={type} />
      {Object.entries(fields).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />)}
      {children}
      <Button type="submit" variant={variant} disabled={disabled || pending} aria-describedby={describedBy}>
        {pending ? pendingLabel : label}
      </Button>
      {state.message && !(state.ok && answerShownElsewhere) ? <Alert tone={state.ok ? (state.tone ?? "success") : "error"}>{state.message}</Alert> : null}
    </form>
  );
}
