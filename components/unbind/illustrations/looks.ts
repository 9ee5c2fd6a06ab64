// How each exchange's pages look in our drawings: a palette inspired by the exchange and the
// words its pages use. No logos or artwork: the exchange's name is plain text. Every text colour
// is paired with its background for at least 4.5:1 contrast (WCAG AA), so axe-core passes.

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
  /** "binance", "okx", "bybit" or "generic". */
  kind: "binance" | "okx" | "bybit" | "generic";
  name: string;
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

const binance: ExchangeLook = {
  kind: "binance",
  name: "Binance",
  palette: {
    page: "bg-[#181a20] text-[#eaecef]",
    bar: "bg-[#0b0e11] text-[#eaecef] border-b border-[#2b3139]",
    brand: "text-[#fcd535]",
    surface: "bg-[#1e2329]",
    border: "border-[#2b3139]",
    muted: "text-[#b7bdc6]",
    field: "bg-[#2b3139]",
    primary: "bg-[#fcd535] text-[#181a20]",
    accent: "text-[#fcd535]",
    danger: "text-[#ff7b87]",
    ring: "ring-2 ring-[#fcd535]",
    skeleton: "bg-[#2b3139]",
    avatar: "bg-[#2b3139] text-[#eaecef]",
  },
  loginAddress: "accounts.binance.com/en/login",
  apiAddress: "www.binance.com/en/my/settings/api-management",
  loginFields: ["Email/Phone number", "Password"],
  loginButton: "Log In",
  menu: { items: ["Dashboard", "Assets", "Orders", "Account", "API Management", "Log Out"], highlight: "API Management" },
  list: {
    heading: "API Management",
    createButton: "Create API",
    deleteAll: "Delete all API",
    layout: "cards",
    nameColumn: "Label",
    keyColumn: "API Key",
    createdColumn: "Created",
    actions: ["Edit restrictions", "Delete"],
    deleteAction: "Delete",
  },
  deleteDialog: { title: "Delete API", cancel: "Cancel", confirm: "Confirm" },
  verification: {
    title: "Security Verification",
    methods: [
      { kind: "authenticator", label: "Authenticator App" },
      { kind: "email", label: "Email Verification Code", action: "Get Code" },
      { kind: "passkey", label: "Passkey", action: "Verify with passkey" },
    ],
    submit: "Submit",
  },
};

const okx: ExchangeLook = {
  kind: "okx",
  name: "OKX",
  palette: {
    page: "bg-white text-black",
    bar: "bg-black text-white",
    brand: "text-white",
    surface: "bg-white",
    border: "border-neutral-300",
    muted: "text-neutral-600",
    field: "bg-neutral-100",
    primary: "bg-black text-white",
    accent: "text-black underline",
    danger: "text-red-700",
    ring: "ring-2 ring-black ring-offset-1 ring-offset-white",
    skeleton: "bg-neutral-200",
    avatar: "bg-neutral-200 text-black",
  },
  loginAddress: "www.okx.com/account/login",
  apiAddress: "www.okx.com/account/my-api",
  loginFields: ["Email / Phone", "Password"],
  loginButton: "Log in",
  menu: { items: ["Profile", "Security", "Verification", "Sub-accounts", "API", "Log out"], highlight: "API" },
  list: {
    heading: "API keys",
    createButton: "Create API key",
    layout: "table",
    nameColumn: "Name",
    keyColumn: "API key",
    createdColumn: "Created",
    actions: ["Edit", "Delete"],
    deleteAction: "Delete",
  },
  deleteDialog: { title: "Delete API key", cancel: "Cancel", confirm: "Confirm" },
  verification: {
    title: "Security verification",
    methods: [
      { kind: "authenticator", label: "Authenticator app code" },
      { kind: "email", label: "Email or SMS code", action: "Send code" },
    ],
    submit: "Confirm",
  },
};

const bybit: ExchangeLook = {
  kind: "bybit",
  name: "Bybit",
  palette: {
    page: "bg-[#101014] text-[#f1f1f2]",
    bar: "bg-[#0a0a0c] text-[#f1f1f2] border-b border-[#2c2d35]",
    brand: "text-[#f7a600]",
    surface: "bg-[#17181e]",
    border: "border-[#2c2d35]",
    muted: "text-[#a9abb2]",
    field: "bg-[#24252c]",
    primary: "bg-[#f7a600] text-[#121214]",
    accent: "text-[#f7a600]",
    // Bybit draws its Delete action in its orange.
    danger: "text-[#f7a600]",
    ring: "ring-2 ring-[#f7a600]",
    skeleton: "bg-[#24252c]",
    avatar: "bg-[#24252c] text-[#f1f1f2]",
  },
  loginAddress: "www.bybit.com/login",
  apiAddress: "www.bybit.com/app/user/api-management",
  loginFields: ["Email / Mobile", "Password"],
  loginButton: "Log In",
  menu: {
    items: ["Account & Security", "Assets", "Orders", "Log Out"],
    highlight: "Account & Security",
    tabs: { items: ["Account & Security", "API Management"], highlight: "API Management" },
  },
  list: {
    heading: "API Management",
    createButton: "Create New Key",
    layout: "table",
    nameColumn: "Name",
    keyColumn: "API Key",
    createdColumn: "Created",
    actions: ["Edit", "Delete"],
    deleteAction: "Delete",
  },
  deleteDialog: { title: "Delete API Key", cancel: "Cancel", confirm: "Confirm" },
  verification: {
    title: "Security Verification",
    methods: [
      { kind: "authenticator", label: "Google Authenticator" },
      { kind: "email", label: "Email / SMS verification code", action: "Get Code" },
    ],
    submit: "Confirm",
  },
};

function genericLook(name: string, websiteUrl: string | null): ExchangeLook {
  const host = websiteUrl ? websiteUrl.replace(/^https?:\/\//, "").replace(/\/$/, "") : null;
  return {
    kind: "generic",
    name,
    palette: {
      page: "bg-white text-slate-900",
      bar: "bg-slate-800 text-white",
      brand: "text-white",
      surface: "bg-white",
      border: "border-slate-300",
      muted: "text-slate-600",
      field: "bg-slate-100",
      primary: "bg-indigo-700 text-white",
      accent: "text-indigo-700",
      danger: "text-red-700",
      ring: "ring-2 ring-indigo-600",
      skeleton: "bg-slate-200",
      avatar: "bg-slate-600 text-white",
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
  return look.kind === "generic"
    ? `Drawing of a typical exchange's ${page}, not a screenshot (${look.name}'s may look different)`
    : `Drawing of ${look.name}'s ${page}, not a screenshot`;
}

/** The look for a ccxt exchange id; any exchange without its own look gets the generic one. */
export function lookFor(exchange: string, displayName?: string, websiteUrl?: string | null): ExchangeLook {
  if (exchange === "binance") return binance;
  if (exchange === "okx") return okx;
  if (exchange === "bybit") return bybit;
  return genericLook(displayName ?? exchange, websiteUrl ?? null);
}
