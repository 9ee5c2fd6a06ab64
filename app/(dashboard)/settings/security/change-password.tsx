"use client";

import { useActionState, useId, useState, type ChangeEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { fieldErrorOf, type FormState } from "@/lib/http/form-state";
import { changePasswordAction } from "./actions";

const empty = { currentPassword: "", code: "", newPassword: "", confirm: "" };

export function ChangePassword({ totpEnabled }: { totpEnabled: boolean }) {
  // Controlled fields: React resets a form after its action, and a refused change keeps what was typed.
  const [values, setValues] = useState(empty);
  const messageId = useId();
  const [state, action, pending] = useActionState<FormState, FormData>(async (previous, formData) => {
    const next = await changePasswordAction(previous, formData);
    if (next.ok) setValues(empty);
    return next;
  }, {});
  const bind = (name: keyof typeof empty) => ({
    name,
    value: values[name],
    onChange: (e: ChangeEvent<HTMLInputElement>) => setValues({ ...values, [name]: e.target.value }),
    ...fieldErrorOf(state, name, messageId),
  });
  return (
    <form action={action} className="space-y-3" aria-label="Change password">
      {state.message ? <Alert tone={state.ok ? "success" : "error"} id={messageId}>{state.message}</Alert> : null}
      <Field label="Current password" type="password" autoComplete="current-password" {...bind("currentPassword")} />
      {totpEnabled ? <Field label="Authenticator code" inputMode="numeric" autoComplete="one-time-code" {...bind("code")} /> : null}
      <Field label="New password" type="password" autoComplete="new-password" hint="At least 12 characters." {...bind("newPassword")} />
      <Field label="Repeat new password" type="password" autoComplete="new-password" {...bind("confirm")} />
      <Button type="submit" disabled={pending}>{pending ? "Changing…" : "Change password"}</Button>
    </form>
  );
}
