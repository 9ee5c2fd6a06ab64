import type { Metadata } from "next";
import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { parseTheme, themeCookie } from "@/lib/theme";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "MyITS Key Dashboard", template: "%s · MyITS" },
  description: "See, back up and safely unbind the exchange API keys bound to MyITS.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The theme the viewer chose (components/theme-toggle.tsx); "system" leaves it to the CSS
  // media query, so the first paint is already in the right colours.
  const theme = parseTheme((await cookies()).get(themeCookie)?.value);
  return (
    <html lang="en" className={theme === "system" ? undefined : theme}>
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">{children}</body>
    </html>
  );
}
