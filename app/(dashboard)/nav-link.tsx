"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** `badge`: a count shown next to the entry (open alerts), left out when zero. */
export function NavLink({ href, children, badge = 0 }: { href: string; children: string; badge?: number }) {
  const active = usePathname().startsWith(href);
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={`rounded-md px-3 py-2 text-sm font-medium ${active ? "bg-indigo-50 text-indigo-800" : "text-slate-700 hover:bg-slate-100"}`}
    >
      {children}
      {badge > 0 ? (
        <span className="ml-1.5 rounded-full bg-red-600 px-1.5 py-0.5 text-xs font-semibold text-white" data-testid="alert-badge">
          {badge}<span className="sr-only"> open alert{badge === 1 ? "" : "s"}</span>
        </span>
      ) : null}
    </Link>
  );
}
