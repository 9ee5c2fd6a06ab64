import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Card } from "@/components/ui/card";
import { currentUser } from "@/lib/auth/current-user";
import { safeReturnPath } from "@/lib/http/form-state";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeReturnPath(params.callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  const notice = params.signedOut ? "You have signed out." : params.registered ? "Account created. Sign in to continue." : undefined;
  return (
    <Card>
      <LoginForm callbackUrl={callbackUrl} notice={notice} />
    </Card>
  );
}
