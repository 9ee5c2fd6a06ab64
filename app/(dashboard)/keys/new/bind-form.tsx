"use client";

import { useActionState, useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, TextAreaField } from "@/components/ui/field";
import { fieldErrorOf } from "@/lib/http/form-state";
import type { SupportedExchange } from "@/lib/exchanges/registry";
import { bindKeyAction, type BindState } from "../actions";

export function BindForm({
  exchanges,
  initialExchange,
  carry = null,
}: {
  exchanges: SupportedExchange[];
  /** Default: the first exchange of the list (the full adapters come first). */
  initialExchange?: string;
  /** Bots detached by an unbind, to move to the new key. */
  carry?: { sessionId: string; botNames: string[] } | null;
}) {
  const [state, action, pending] = useActionState<BindState, FormData>(bindKeyAction, {});
  const messageId = useId();
  const [exchange, setExchange] = useState(state.values?.exchange || initialExchange || exchanges[0]?.id || "");
  const [label, setLabel] = useState(state.values?.label ?? "");
  const selected = exchanges.find((e) => e.id === exchange);
  const form = selected?.credentials;
  const full = exchanges.filter((e) => e.full);
  const others = exchanges.filter((e) => !e.full);

  return (
    <form action={action} className="max-w-lg space-y-4" noValidate>
      {state.message ? <Alert tone="error" id={messageId}>{state.message}</Alert> : null}
      {carry && carry.botNames.length ? (
        <div className="rounded-md border border-indigo-200 bg-indigo-50 px-4 py-3 text-sm text-indigo-950" data-testid="carry-bots">
          <input type="hidden" name="carryFrom" value={carry.sessionId} />
          These bots move to the new key (stopped; start them when you are ready): {carry.botNames.join(", ")}.
        </div>
      ) : null}
      <div className="space-y-1">
        <label htmlFor="field-exchange" className="block text-sm font-medium text-slate-700">Exchange</label>
        <select id="field-exchange" name="exchange" value={exchange} onChange={(e) => setExchange(e.target.value)}
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
          <optgroup label="Full support">
            {full.map((e) => <option key={e.id} value={e.id}>{e.displayName}</option>)}
          </optgroup>
          <optgroup label="Other exchanges (basic checks)">
            {others.map((e) => <option key={e.id} value={e.id}>{e.displayName}</option>)}
          </optgroup>
        </select>
      </div>
      <Field label="Label" name="label" value={label} onChange={(e) => setLabel(e.target.value)} hint="How you will recognise it, e.g. “Grid bot key”."
        {...fieldErrorOf(state, "label", messageId)} required maxLength={64} />
      {/* Credentials are uncontrolled and cleared after every attempt: they are never sent back to the page. */}
      <Field label={form?.apiKeyLabel ?? "API key"} name="apiKey" autoComplete="off" spellCheck={false} hint={form?.apiKeyHint}
        {...fieldErrorOf(state, "apiKey", messageId)} required />
      {form?.secretFormat === "pem" ? (
        // a private key spans lines; the form is never sent back with it (see above)
        <TextAreaField key={`${exchange}-secret`} label={form.secretLabel ?? "Private key"} name="secret" rows={6} autoComplete="off" spellCheck={false}
          hint={form.secretHint} {...fieldErrorOf(state, "secret", messageId)} required />
      ) : (
        <Field key={`${exchange}-secret`} label={form?.secretLabel ?? "Secret"} name="secret" type="password" autoComplete="off" hint={form?.secretHint}
          {...fieldErrorOf(state, "secret", messageId)} required />
      )}
      {selected?.requiresPassphrase ? (
        <Field label="Passphrase" name="passphrase" type="password" autoComplete="off" {...fieldErrorOf(state, "passphrase", messageId)}
          hint={`${selected.displayName} asks for the passphrase you chose when creating the key.`} required />
      ) : null}
      <Button type="submit" disabled={pending}>{pending ? `Checking with ${selected?.displayName ?? "the exchange"}…` : "Check and bind"}</Button>
    </form>
  );
}
