"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { addTargetAction, type AddTargetState } from "./actions";

export function AddTargetForm() {
  const [state, action, pending] = useActionState<AddTargetState, FormData>(addTargetAction, {});
  return (
    <form action={action} className="space-y-3" aria-label="Add a webhook">
      {state.message && !state.signingSecret ? <Alert tone={state.ok ? "success" : "error"}>{state.message}</Alert> : null}
      {state.signingSecret ? (
        <div className="space-y-2 rounded-md border border-emerald-300 bg-emerald-50 p-4 text-sm" role="status" data-testid="signing-secret">
          <p className="font-medium">Webhook added. Its signing secret, shown only this once:</p>
          <code className="block break-all rounded bg-white px-2 py-1 font-mono">{state.signingSecret}</code>
          <p>
            Every request carries <code>MyITS-Signature: t=&lt;unix time&gt;,v1=&lt;hex&gt;</code>, where v1 is the HMAC-SHA256, keyed with this secret,
            of the timestamp, a dot, and the raw body. Reject requests whose signature differs or whose timestamp is more than 5 minutes old.
          </p>
        </div>
      ) : null}
      <Field label="Name" name="name" placeholder="Team chat" maxLength={80} defaultValue={state.values?.name} error={state.fieldErrors?.name} />
      <Field label="Address (URL)" name="url" type="url" placeholder="https://example.com/hooks/myits" defaultValue={state.values?.url} error={state.fieldErrors?.url} />
      <Button type="submit" disabled={pending}>{pending ? "Adding…" : "Add webhook"}</Button>
    </form>
  );
}
