"use client";

import Link from "next/link";
import { useActionState, useEffect, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { signInAction, type SignInState } from "./actions";

export function LoginForm({ callbackUrl, notice }: { callbackUrl: string; notice?: string }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInAction, {});
  // Controlled inputs: the password must survive the round trip that asks for the TOTP code.
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const codeInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (state.needsCode) codeInput.current?.focus();
  }, [state]);

  return (
    <form action={action} className="space-y-4" noValidate>
      <h1 className="text-2xl font-semibold">Sign in</h1>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {state.message && !state.ok ? <Alert tone={state.tone ?? "error"}>{state.message}</Alert> : null}
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Field label="Email" name="email" type="email" autoComplete="username" required value={email}
        onChange={(e) => setEmail(e.target.value)} error={state.fieldErrors?.email} />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required value={password}
        onChange={(e) => setPassword(e.target.value)} error={state.fieldErrors?.password} />
      {state.needsCode ? (
        <Field ref={codeInput} label="Authenticator code" name="code" inputMode="numeric" autoComplete="one-time-code"
          value={code} onChange={(e) => setCode(e.target.value)} hint="6 digits from your app, or one of your recovery codes." />
      ) : null}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
      <p className="text-center text-sm text-slate-600">
        No account yet? <Link className="font-medium text-indigo-700 underline" href="/signup">Create one</Link>
      </p>
    </form>
  );
}
