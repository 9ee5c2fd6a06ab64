import type { ReactNode } from "react";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-md space-y-6">
        <div className="text-center">
          <p className="text-sm font-semibold uppercase tracking-wide text-indigo-700">MyITS</p>
          <p className="text-slate-600">Key Dashboard</p>
        </div>
        {children}
      </div>
    </main>
  );
}
