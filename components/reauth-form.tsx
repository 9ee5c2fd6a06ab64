"use client";

import { useActionState, useId, useState } from "react";
import { reauthAction, type ReauthState } from "@/app/actions/reauth";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { fieldErrorOf } from "@/lib/http/form-state";

// Asks for the password (and authenticator code) again before a destructive step. After a
// success the fields are emptied (a password has no business staying on the page), and the
// button says why it cannot act while there is nothing to send.
export function ReauthForm({ totpEnabled, onDone }: { totpEnabled: boolean; onDone?: () => void }) {
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [state, action, pending] = useActionState<ReauthState, FormData>(async (previous, formData) => {
    const next = await reauthAction(previous, formData);
    if (next.ok) {
      setPassword("");
      setCode("");
      onDone?.();
    }
    return next;
  }, {});
  const messageId = useId();
  const hintId = useId();
  const missing = password === "" ? "your password" : totpEnabled && code === "" ? "the authenticator code" : null;
  return (
    <form action={action} className="space-y-3" aria-label="Confirm it is you">
      {state.message ? <Alert tone={state.ok ? "success" : "error"} id={messageId}>{state.message}</Alert> : null}
      <Field label="Your MyITS password" name="password" type="password" autoComplete="current-password" value={password}
        onChange={(e) => setPassword(e.target.value)} {...fieldErrorOf(state, "password", messageId)} />
      {totpEnabled ? (
        <Field label="Authenticator code" name="code" inputMode="numeric" autoComplete="one-time-code" value={code}
          onChange={(e) => setCode(e.target.value)} {...fieldErrorOf(state, "code", messageId)} />
      ) : null}
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={pending || missing !== null} aria-describedby={missing && !pending ? hintId : undefined}>
          {pending ? "Checking…" : state.ok && missing ? "Confirmed" : "Confirm it's me"}
        </Button>
        {missing && !pending ? (
          <span id={hintId} className="text-sm text-slate-600">
            {state.ok && password === "" ? "To confirm again, enter your password." : `Enter ${missing} first.`}
          </span>
        ) : null}
      </div>
    </form>
  );
}
