// How each exchange's pages look in our drawings: a palette inspired by the exchange and the
// words its pages use. No logos or artwork: the exchange's name is plain text. Every text colour
// is paired with its background for at least 4.5:1 contrast (WCAG AA), so axe-core passes.
// Dark mode (docs/architecture.md, "Dark mode") turns the theme's colour tokens around: an
// exchange's own look uses fixed colours (hex, black, neutral: none of the tokens app/globals.css
// redefines), so its page is drawn the same in both themes; the typical look uses only tokens that
// turn around in pairs (a background and its text both swap, or neither), so it follows the theme.

export interface Palette {
  /** The page behind everything, with its main text colour. */
  page: string;
  /** The exchange's top navigation bar. */
  bar: string;
  /** The exchange's name in the bar (plain text, never a logo). */
  brand: string;
  /** Cards, table and dialogs. */
  surface: string;
  border: string;
  /** Secondary text; readable on page, surface and field. */
  muted: string;
  /** A drawn input field (text inside uses `muted`). */
  field: string;
  /** The exchange's primary button, background and text. */
  primary: string;
  /** Links and highlighted menu text. */
  accent: string;
  /** Delete actions. */
  danger: string;
  /** Ring around what the user should click or find. */
  ring: string;
  /** Placeholder bars standing in for page content we do not draw. */
  skeleton: string;
  /** The round profile icon in the top bar, background and icon colour. */
  avatar: string;
}

export interface VerificationMethod {
  kind: "authenticator" | "email" | "sms" | "passkey";
  label: string;
  /** A button next to the field ("Get Code"), or the passkey button's words. */
  action?: string;
}

export interface ExchangeLook {
  /** The exchange's name (its adapter's displayName). */
  name: string;
  /** A typical exchange's pages (the generic adapter), not this exchange's own. */
  typical: boolean;
  palette: Palette;
  /** Address shown in the drawn address bar, without the scheme. Null when unknown. */
  loginAddress: string | null;
  apiAddress: string | null;
  loginFields: [string, string];
  loginButton: string;
  /** The profile menu, and (Bybit) the tab to pick on the page it opens. */
  menu: { items: string[]; highlight: string; tabs?: { items: string[]; highlight: string } };
  list: {
    heading: string;
    createButton: string;
    /** A button that deletes every key: drawn with a warning. */
    deleteAll?: string;
    layout: "cards" | "table";
    nameColumn: string;
    keyColumn: string;
    createdColumn: string;
    actions: string[];
    deleteAction: string;
  };
  deleteDialog: { title: string; cancel: string; confirm: string };
  verification: { title: string; methods: VerificationMethod[]; submit: string };
}

/** What an exchange's look.ts declares: the look without the name its adapter gives it. */
export type LookContent = Omit<ExchangeLook, "name" | "typical">;

/** A typical exchange's pages, for an exchange without a look of its own. */
export function genericLook(websiteUrl: string | null): LookContent {
  const host = websiteUrl ? websiteUrl.replace(/^https?:\/\//, "").replace(/\/$/, "") : null;
  return {
    palette: {
      page: "bg-white text-slate-900",
      bar: "bg-slate-900 text-slate-50",
      brand: "text-slate-50",
      surface: "bg-white",
      border: "border-slate-300",
      muted: "text-slate-600",
      field: "bg-slate-200",
      primary: "bg-indigo-600 text-white",
      accent: "text-indigo-700",
      danger: "text-red-700",
      ring: "ring-2 ring-indigo-600",
      skeleton: "bg-slate-200",
      avatar: "bg-slate-700 text-slate-50",
    },
    loginAddress: host,
    apiAddress: host,
    loginFields: ["Email", "Password"],
    loginButton: "Log in",
    menu: { items: ["Account", "Security", "API keys", "Log out"], highlight: "API keys" },
    list: {
      heading: "API keys",
      createButton: "Create API key",
      layout: "table",
      nameColumn: "Label",
      keyColumn: "API key",
      createdColumn: "Created",
      actions: ["Delete"],
      deleteAction: "Delete",
    },
    deleteDialog: { title: "Delete API key?", cancel: "Cancel", confirm: "Delete" },
    verification: {
      title: "Security verification",
      methods: [
        { kind: "authenticator", label: "Two-factor code" },
        { kind: "email", label: "Email or SMS code", action: "Send code" },
        { kind: "passkey", label: "Passkey", action: "Use passkey" },
      ],
      submit: "Confirm",
    },
  };
}

/**
 * "Drawing of Binance's API Management page, not a screenshot". Generic drawings show a typical
 * exchange, so they say so rather than pass for the named exchange's page.
 */
export function drawingOf(look: ExchangeLook, page: string): string {
  return look.typical
    ? `Drawing of a typical exchange's ${page}, not a screenshot (${look.name}'s may look different)`
    : `Drawing of ${look.name}'s ${page}, not a screenshot`;
}
