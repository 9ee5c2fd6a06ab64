import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { requirePageUser } from "@/lib/auth/current-user";
import { reauthValid } from "@/lib/auth/reauthenticate";
import { ChangePassword } from "./change-password";
import { SignOutEverywhere } from "./sign-out-everywhere";
import { TotpDisable } from "./totp-disable";
import { TotpSetup } from "./totp-setup";

export const metadata: Metadata = { title: "Security" };

export default async function SecurityPage() {
  const user = await requirePageUser("/settings/security");
  return (
    <>
      <h1 className="text-2xl font-semibold">Security</h1>
      <Card title="Two-factor authentication">
        {user.totpEnabled ? (
          <div className="space-y-4">
            <p className="text-slate-700" data-testid="totp-status">On: signing in asks for a code from your authenticator app.</p>
            <TotpDisable recentlyConfirmed={reauthValid(user.reauthenticatedAt)} />
          </div>
        ) : (
          <div className="space-y-4">
            <p className="text-slate-700" data-testid="totp-status">
              Off. Turn it on so that a leaked password alone cannot unbind your keys.
            </p>
            <TotpSetup recentlyConfirmed={reauthValid(user.reauthenticatedAt)} />
          </div>
        )}
      </Card>
      <Card title="Password">
        <div className="space-y-4">
          <p className="text-slate-700">Changing your password signs out every other browser and device.</p>
          <ChangePassword totpEnabled={user.totpEnabled} />
        </div>
      </Card>
      <Card title="Sessions">
        <div className="space-y-4">
          <p className="text-slate-700">
            Signed in somewhere you no longer use, or on a device you lost? Sign out every other browser and device; this one
            stays signed in.
          </p>
          <SignOutEverywhere />
        </div>
      </Card>
    </>
  );
}
