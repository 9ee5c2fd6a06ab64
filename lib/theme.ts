// The colour theme a viewer chose: "system" follows prefers-color-scheme (app/globals.css).
export const themes = ["system", "light", "dark"] as const;
export type Theme = (typeof themes)[number];
export const themeCookie = "myits-theme";

export function parseTheme(value: string | undefined): Theme {
  return (themes as readonly string[]).includes(value ?? "") ? (value as Theme) : "system";
}
