"use client";

import { useActionState, useState } from "react";
import { ReauthForm } from "@/components/reauth-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { FormState } from "@/lib/http/form-state";
import { disableTotpAction } from "./actions";

export function TotpDisable({ recentlyConfirmed }: { recentlyConfirmed: boolean }) {
  const [confirmed, setConfirmed] = useState(recentlyConfirmed);
  const [result, disable, pending] = useActionState<FormState>(disableTotpAction, {});
  if (!confirmed) {
    return (
      <div className="space-y-3">
        <p className="text-sm text-slate-700">To turn two-factor authentication off, confirm it is you.</p>
        <ReauthForm totpEnabled onDone={() => setConfirmed(true)} />
      </div>
    );
  }
  return (
    <form action={disable} className="space-y-3">
      {result.message ? <Alert tone={result.ok ? "success" : "error"}>{result.message}</Alert> : null}
      <Button type="submit" variant="danger" disabled={pending}>
        Turn off two-factor authentication
      </Button>
    </form>
  );
}
