"use client";

import { useRouter } from "next/navigation";
import { useActionState, useId, useState } from "react";
import { ReauthForm } from "@/components/reauth-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { fieldErrorOf } from "@/lib/http/form-state";
import { confirmEnrolmentAction, startEnrolmentAction, type EnrolmentState } from "./actions";

export function TotpSetup({ recentlyConfirmed }: { recentlyConfirmed: boolean }) {
  const router = useRouter();
  const [confirmed, setConfirmed] = useState(recentlyConfirmed);
  // Forms with server actions (not onClick handlers) so a click before hydration still works.
  const [started, start, starting] = useActionState<EnrolmentState>(startEnrolmentAction, {});
  const [state, confirm, confirming] = useActionState<EnrolmentState, FormData>(confirmEnrolmentAction, {});
  const messageId = useId();
  const [code, setCode] = useState("");

  if (state.recoveryCodes) {
    return (
      <div className="space-y-3">
        <Alert tone="success">Two-factor authentication is on.</Alert>
        <p className="text-sm text-slate-700">
          Save these recovery codes somewhere safe. Each works once if you lose your phone. They will not be shown again.
        </p>
        <ul className="grid grid-cols-2 gap-2 font-mono text-sm" data-testid="recovery-codes">
          {state.recoveryCodes.map((c) => <li key={c} className="rounded bg-slate-100 px-2 py-1">{c}</li>)}
        </ul>
        <Button variant="secondary" onClick={() => router.refresh()}>I have saved them</Button>
      </div>
    );
  }

  const pending = started.pending;
  // Binding an authenticator to the account is as sensitive as removing one: the server refuses
  // both without a fresh confirmation in this browser.
  if (!confirmed && !pending) {
    return (
      <div className="space-y-3">
        <p className="text-sm text-slate-700">To set up two-factor authentication, confirm it is you.</p>
        <ReauthForm totpEnabled={false} onDone={() => setConfirmed(true)} />
      </div>
    );
  }
  if (!pending) {
    return (
      <form action={start} className="space-y-3">
        {started.message ? <Alert tone="error">{started.message}</Alert> : null}
        <Button type="submit" disabled={starting}>
          {starting ? "Preparing…" : "Set up an authenticator app"}
        </Button>
      </form>
    );
  }

  return (
    <form action={confirm} className="space-y-4">
      <p className="text-sm text-slate-700">Scan this QR code with your authenticator app, then enter the code it shows.</p>
      {/* eslint-disable-next-line @next/next/no-img-element -- a data URL made on the server, nothing to optimise */}
      <img src={pending.qrDataUrl} alt="QR code for your authenticator app" width={220} height={220} />
      <p className="text-sm text-slate-600">
        Can&apos;t scan? Enter this key: <code className="font-mono" data-testid="totp-secret">{pending.secret}</code>
      </p>
      {state.message ? <Alert tone="error" id={messageId}>{state.message}</Alert> : null}
      <Field label="Code from the app" name="code" inputMode="numeric" autoComplete="one-time-code" value={code}
        onChange={(e) => setCode(e.target.value)} {...fieldErrorOf(state, "code", messageId)} />
      <Button type="submit" disabled={confirming}>{confirming ? "Checking…" : "Turn on"}</Button>
    </form>
  );
}
