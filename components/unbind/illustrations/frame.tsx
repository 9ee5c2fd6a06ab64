import type { ReactNode } from "react";
import type { ExchangeLook } from "@/lib/exchanges/looks";

// The shell every drawing shares: a <figure> whose drawing is one role="img" element described
// in words (its children are presentational, so nothing inside may be focusable), a short
// visible caption, and a drawn browser window showing the exchange's address.

export function IllustrationFrame({
  description,
  caption,
  address,
  pageClassName,
  children,
}: {
  /** What the drawing shows, for screen readers. */
  description: string;
  /** The visible caption; always says it is a drawing, not a screenshot. */
  caption: string;
  /** The address in the drawn address bar; no bar when undefined, a placeholder when null. */
  address?: string | null;
  pageClassName: string;
  children: ReactNode;
}) {
  return (
    <figure className="w-full max-w-2xl">
      <div
        role="img"
        aria-label={description}
        className="@container max-h-80 overflow-hidden rounded-lg border border-slate-300 bg-white shadow-sm select-none"
      >
        {address !== undefined ? <AddressBar address={address} /> : null}
        <div className={`relative h-64 overflow-hidden text-[11px] leading-snug ${pageClassName}`}>{children}</div>
      </div>
      <figcaption className="mt-2 text-xs text-slate-600">{caption}</figcaption>
    </figure>
  );
}

function AddressBar({ address }: { address: string | null }) {
  return (
    <div className="flex h-7 items-center gap-2 border-b border-slate-300 bg-slate-100 px-2">
      <span className="flex gap-1" aria-hidden="true">
        <span className="size-2 rounded-full bg-slate-400" />
        <span className="size-2 rounded-full bg-slate-400" />
        <span className="size-2 rounded-full bg-slate-400" />
      </span>
      <span className="flex min-w-0 flex-1 items-center gap-1 rounded-full border border-slate-300 bg-white px-2 py-0.5 text-[10px] text-slate-700">
        <LockIcon />
        <span className="truncate">{address ?? "the exchange's website"}</span>
      </span>
    </div>
  );
}

function LockIcon() {
  return (
    <svg viewBox="0 0 12 12" className="size-2.5 shrink-0 fill-slate-600" aria-hidden="true" focusable="false">
      <path d="M3.5 5V3.75a2.5 2.5 0 0 1 5 0V5h.5A1 1 0 0 1 10 6v4a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1h.5Zm1 0h3V3.75a1.5 1.5 0 0 0-3 0V5Z" />
    </svg>
  );
}

/** The exchange's top bar: its name as plain text, a few menu words, and the profile icon. */
export function ExchangeNav({ look, signedIn, ringProfile }: { look: ExchangeLook; signedIn: boolean; ringProfile?: boolean }) {
  const p = look.palette;
  return (
    <div className={`flex h-7 items-center gap-3 px-3 ${p.bar}`}>
      <span className={`font-bold tracking-wide ${p.brand}`}>{look.name}</span>
      <span className="hidden gap-3 @sm:flex">
        <span>Markets</span>
        <span>Trade</span>
      </span>
      <span className="ml-auto flex items-center gap-2">
        {signedIn ? (
          <span className={`grid size-5 place-items-center rounded-full ${p.avatar} ${ringProfile ? p.ring : ""}`}>
            <PersonIcon />
          </span>
        ) : (
          <>
            <span>{look.loginButton}</span>
            <span className={`rounded px-1.5 py-0.5 font-semibold ${p.primary}`}>Sign Up</span>
          </>
        )}
      </span>
    </div>
  );
}

function PersonIcon() {
  return (
    <svg viewBox="0 0 12 12" className="size-3 fill-current" aria-hidden="true" focusable="false">
      <circle cx="6" cy="4" r="2.25" />
      <path d="M1.75 11a4.25 4.25 0 0 1 8.5 0Z" />
    </svg>
  );
}

/** Our own annotation on top of the drawing (never part of the exchange's page). */
export function Note({ children, className = "" }: { children: ReactNode; className?: string }) {
  return (
    <span
      className={`inline-block rounded-full border border-sky-700 bg-sky-100 px-2 py-0.5 text-[10px] font-semibold whitespace-nowrap text-sky-900 shadow-sm ${className}`}
    >
      {children}
    </span>
  );
}

/** A numbered marker for "click this first, then this". */
export function StepBadge({ n, className = "" }: { n: number; className?: string }) {
  return (
    <span
      className={`grid size-4 shrink-0 place-items-center rounded-full border border-sky-700 bg-sky-100 text-[9px] font-bold text-sky-900 ${className}`}
    >
      {n}
    </span>
  );
}

/** Grey bars standing in for page content the drawing leaves out (no text, so nothing to read). */
export function Skeleton({ look, rows = 3 }: { look: ExchangeLook; rows?: number }) {
  return (
    <div className="space-y-2 p-3" aria-hidden="true">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className={`h-3 rounded ${look.palette.skeleton} ${i % 2 ? "w-2/3" : "w-5/6"}`} />
      ))}
    </div>
  );
}
