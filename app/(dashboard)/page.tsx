import { redirect } from "next/navigation";
import { requirePageUser } from "@/lib/auth/current-user";

export default async function DashboardHome() {
  await requirePageUser("/keys");
  redirect("/keys");
}
