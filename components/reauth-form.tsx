"use client";

import { useActionState, useState } from "react";
import { reauthAction, type ReauthState } from "@/app/actions/reauth";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

// Asks for the password (and authenticator code) again before a destructive step.
export function ReauthForm({ totpEnabled, onDone }: { totpEnabled: boolean; onDone?: () => void }) {
  const [state, action, pending] = useActionState<ReauthState, FormData>(async (previous, formData) => {
    const next = await reauthAction(previous, formData);
    if (next.ok) onDone?.();
    return next;
  }, {});
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  return (
    <form action={action} className="space-y-3" aria-label="Confirm it is you">
      {state.message ? <Alert tone={state.ok ? "success" : "error"}>{state.message}</Alert> : null}
      <Field label="Your MyITS password" name="password" type="password" autoComplete="current-password" value={password}
        onChange={(e) => setPassword(e.target.value)} error={state.fieldErrors?.password} />
      {totpEnabled ? (
        <Field label="Authenticator code" name="code" inputMode="numeric" autoComplete="one-time-code" value={code}
          onChange={(e) => setCode(e.target.value)} error={state.fieldErrors?.code} />
      ) : null}
      <Button type="submit" disabled={pending}>{pending ? "Checking…" : "Confirm it's me"}</Button>
    </form>
  );
}
