"use client";

import Link from "next/link";
import { useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { FormState } from "@/lib/http/form-state";
import { signUpAction } from "./actions";

export function SignUpForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(signUpAction, {});
  const [values, setValues] = useState({ name: "", email: "", password: "", confirm: "" });
  const bind = (name: keyof typeof values) => ({
    name,
    value: values[name],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setValues((v) => ({ ...v, [name]: e.target.value })),
    error: state.fieldErrors?.[name],
  });

  return (
    <form action={action} className="space-y-4" noValidate>
      <h1 className="text-2xl font-semibold">Create your account</h1>
      {state.message ? <Alert tone="error">{state.message}</Alert> : null}
      <Field label="Name (optional)" autoComplete="name" {...bind("name")} />
      <Field label="Email" type="email" autoComplete="email" required {...bind("email")} />
      <Field label="Password" type="password" autoComplete="new-password" required hint="At least 12 characters." {...bind("password")} />
      <Field label="Repeat password" type="password" autoComplete="new-password" required {...bind("confirm")} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating account…" : "Create account"}
      </Button>
      <p className="text-center text-sm text-slate-600">
        Already registered? <Link className="font-medium text-indigo-700 underline" href="/login">Sign in</Link>
      </p>
    </form>
  );
}
