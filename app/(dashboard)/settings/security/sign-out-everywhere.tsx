"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { FormState } from "@/lib/http/form-state";
import { signOutEverywhereAction } from "./actions";

export function SignOutEverywhere() {
  const [state, action, pending] = useActionState<FormState>(signOutEverywhereAction, {});
  return (
    <form action={action} className="space-y-3">
      {state.message ? <Alert tone={state.ok ? "success" : "error"}>{state.message}</Alert> : null}
      <Button type="submit" variant="secondary" disabled={pending}>Sign out everywhere</Button>
    </form>
  );
}
