import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { ClockProvider } from "@/components/ui/local-time";
import { requirePageUser } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { viewerClock } from "@/lib/time/viewer-clock";
import { signOutAction } from "./actions";
import { NavLink } from "./nav-link";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser("/keys");
  const { clock, renderedAt } = await viewerClock();
  return (
    <ClockProvider clock={clock} renderedAt={renderedAt}>
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-4 px-4 py-3">
          <div className="flex items-center gap-6">
            <span className="font-semibold text-indigo-700">MyITS Key Dashboard</span>
            <nav aria-label="Main" className="flex gap-1">
              <NavLink href="/keys">Keys</NavLink>
              <NavLink href="/backups">Backups</NavLink>
              <NavLink href="/audit">Audit log</NavLink>
              <NavLink href="/settings/notifications">Notifications</NavLink>
              <NavLink href="/settings/security">Security</NavLink>
            </nav>
          </div>
          <div className="flex items-center gap-3 text-sm">
            <span className="text-slate-600" data-testid="signed-in-as">{user.email}</span>
            <form action={signOutAction}>
              <Button type="submit" variant="secondary">Sign out</Button>
            </form>
          </div>
        </div>
      </header>
      {env().MYITS_DEMO ? (
        <aside aria-label="Demo notice" className="border-b border-amber-300 bg-amber-100 px-4 py-2 text-center text-sm text-amber-950" data-testid="demo-banner">
          Demo: Binance, OKX and Bybit here are a <strong>simulated exchange</strong> running on this machine; no real account is touched.
          {env().SIM_ADMIN_URL ? (
            <>
              {" "}Play the exchange&apos;s side (delete or restrict keys) on the{" "}
              <a className="font-medium underline" href={env().SIM_ADMIN_URL} target="_blank" rel="noreferrer">simulator&apos;s admin page</a>.
            </>
          ) : null}
        </aside>
      ) : null}
      <main className="mx-auto max-w-6xl space-y-6 px-4 py-8">{children}</main>
    </div>
    </ClockProvider>
  );
}
