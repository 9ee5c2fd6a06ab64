import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { requirePageUser } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { isSupportedExchange, supportedExchanges } from "@/lib/exchanges/registry";
import { botsToCarry } from "@/lib/unbind/carry-bots";
import { sessionIdSchema } from "@/lib/unbind/schemas";
import { BindForm } from "./bind-form";

export const metadata: Metadata = { title: "Bind a key" };

export default async function BindKeyPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageUser("/keys/new");
  const query = await searchParams;
  const exchange = typeof query.exchange === "string" && isSupportedExchange(query.exchange) ? query.exchange : undefined;
  const carryFrom = sessionIdSchema.safeParse(query.carryFrom);
  const carried = carryFrom.success ? await botsToCarry(db(), user.id, carryFrom.data) : null;
  return (
    <>
      <h1 className="text-2xl font-semibold">Bind an exchange API key</h1>
      <Card>
        <div className="mb-6 space-y-2 text-sm text-slate-700">
          <p>MyITS checks the key with the exchange before saving it. Create it on the exchange with:</p>
          <ul className="list-disc space-y-1 pl-5">
            <li>read and spot-trading permission only: a key that can <strong>withdraw</strong> is refused;</li>
            <li>an IP whitelist limited to MyITS&apos;s addresses (a key without one is accepted, with a warning).</li>
          </ul>
          <p>The secret is encrypted before it is stored and is never shown again, not even to you.</p>
        </div>
        <BindForm exchanges={supportedExchanges()} initialExchange={exchange}
          carry={carried ? { sessionId: carried.sessionId, botNames: carried.bots.map((b) => b.name) } : null} />
      </Card>
    </>
  );
}
