import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Card } from "@/components/ui/card";
import { currentUser } from "@/lib/auth/current-user";
import { SignUpForm } from "./signup-form";

export const metadata: Metadata = { title: "Create account" };

export default async function SignUpPage() {
  if (await currentUser()) redirect("/keys");
  return (
    <Card>
      <SignUpForm />
    </Card>
  );
}
