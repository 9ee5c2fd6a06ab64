import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { requirePageUser } from "@/lib/auth/current-user";
import { db } from "@/lib/db";
import { exchangeName, groupByExchange, listBindings } from "@/lib/keys/list-keys";
import { recheckAction } from "./actions";
import { KeyCardPending } from "./key-card";
import { LiveKeyCard } from "./live-key-card";

export const metadata: Metadata = { title: "Keys" };

export default async function KeysPage({ searchParams }: { searchParams: Promise<{ bound?: string; warned?: string }> }) {
  const user = await requirePageUser("/keys");
  const params = await searchParams;
  const bindings = await listBindings(db(), user.id);
  const groups = groupByExchange(bindings);

  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Your exchange API keys</h1>
        <div className="flex gap-2">
          {bindings.length > 0 ? (
            <form action={recheckAction}>
              <input type="hidden" name="bindingId" value="all" />
              <button type="submit" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-50">Re-check all</button>
            </form>
          ) : null}
          <Link href="/keys/new" className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700">Bind a key</Link>
        </div>
      </div>
      {params.bound ? (
        <Alert tone={params.warned ? "warning" : "success"}>
          Key bound{params.warned ? ", with warnings: see its risks below" : ""}. The exchange confirmed it works.
        </Alert>
      ) : null}

      {bindings.length === 0 ? (
        <Card>
          <div className="space-y-3" data-testid="keys-empty-state">
            <h2 className="text-lg font-semibold">No exchange keys are bound to MyITS yet</h2>
            <p className="text-slate-700">
              When you bind an exchange API key (Binance, OKX, Bybit, …), it appears here with what the exchange says about it:
              whether it still works, its permissions, its IP whitelist, and the risks to fix.
            </p>
            <p className="text-slate-700">
              Next step: create a read-and-trade key on your exchange, restricted to MyITS&apos;s IP addresses and without
              withdrawal permission, then <Link className="font-medium text-indigo-700 underline" href="/keys/new">bind it here</Link>.
            </p>
          </div>
        </Card>
      ) : (
        [...groups].map(([exchange, keys]) => (
          <section key={exchange} aria-labelledby={`exchange-${exchange}`} className="space-y-3" data-testid="exchange-group" data-exchange={exchange}>
            <h2 id={`exchange-${exchange}`} className="text-lg font-semibold">
              {exchangeName(exchange)} <span className="text-sm font-normal text-slate-500">({keys.length} key{keys.length === 1 ? "" : "s"})</span>
            </h2>
            <div className="grid gap-4 lg:grid-cols-2">
              {keys.map((binding) => (
                <Suspense key={binding.id} fallback={<KeyCardPending label={binding.label} maskedKey={binding.apiKeyMasked} />}>
                  <LiveKeyCard userId={user.id} binding={binding} />
                </Suspense>
              ))}
            </div>
          </section>
        ))
      )}
    </>
  );
}
