"use client";

import { useState } from "react";
import { themeCookie, themes, type Theme } from "@/lib/theme";

// Light, dark, or whatever the system says (the default). The choice goes on <html> at once and
// into a cookie, so the server renders the next page in it (app/layout.tsx) without a flash.
const names: Record<Theme, string> = { system: "System", light: "Light", dark: "Dark" };

function remember(theme: Theme): void {
  document.cookie = `${themeCookie}=${theme}; path=/; max-age=${365 * 24 * 3600}; samesite=lax`;
}

export function ThemeToggle({ initial }: { initial: Theme }) {
  const [theme, setTheme] = useState<Theme>(initial);
  const choose = (next: Theme) => {
    setTheme(next);
    document.documentElement.classList.remove("light", "dark");
    if (next !== "system") document.documentElement.classList.add(next);
    remember(next);
  };
  return (
    <fieldset className="flex items-center gap-1 text-xs" data-testid="theme-toggle">
      <legend className="sr-only">Theme</legend>
      {themes.map((option) => (
        <label key={option} className={`cursor-pointer rounded-md border px-2 py-1 has-focus-visible:outline-2 has-focus-visible:outline-indigo-600 ${theme === option ? "border-indigo-600 bg-indigo-50 font-semibold text-indigo-800" : "border-slate-300 text-slate-700"}`}>
          <input type="radio" name="theme" value={option} checked={theme === option} onChange={() => choose(option)} className="sr-only" />
          {names[option]}
        </label>
      ))}
    </fieldset>
  );
}
