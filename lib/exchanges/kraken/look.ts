import type { LookContent } from "../looks";

// How Kraken's own pages look, for the unbind wizard's drawings of them (components/unbind/illustrations):
// the words on its buttons, its colours (a light page, Kraken's purple), its menus. The API keys
// are under Security -> API in the menu behind the account name (kraken.com/u/security/api).

export const krakenLook: LookContent = {
  palette: {
    page: "bg-[#fff] text-[#101114]",
    bar: "bg-[#fff] text-[#101114] border-b border-[#e4e4e7]",
    brand: "text-[#5b21d1]",
    surface: "bg-[#f7f7f9]",
    border: "border-[#d9d9e0]",
    muted: "text-[#55565e]",
    field: "bg-[#eeeef2]",
    // Kraken's purple carries white text at 6:1
    primary: "bg-[#7132f5] text-white",
    accent: "text-[#5b21d1]",
    danger: "text-[#c42b1c]",
    ring: "ring-2 ring-[#7132f5]",
    skeleton: "bg-[#e4e4e7]",
    avatar: "bg-[#ede7fe] text-[#5b21d1]",
  },
  loginAddress: "www.kraken.com/sign-in",
  apiAddress: "www.kraken.com/u/security/api",
  loginFields: ["Username", "Password"],
  loginButton: "Sign in",
  menu: {
    items: ["Settings", "Security", "Documents", "Sign out"],
    highlight: "Security",
    tabs: { items: ["Two-factor authentication", "Passkeys", "API"], highlight: "API" },
  },
  list: {
    heading: "API keys",
    createButton: "Create API key",
    layout: "table",
    nameColumn: "Description",
    keyColumn: "API key",
    createdColumn: "Created",
    actions: ["Edit", "Delete"],
    deleteAction: "Delete",
  },
  deleteDialog: { title: "Delete API key?", cancel: "Cancel", confirm: "Delete" },
  verification: {
    title: "Two-factor authentication",
    methods: [
      { kind: "authenticator", label: "Authenticator app code" },
      { kind: "passkey", label: "Security key or passkey", action: "Use passkey" },
    ],
    submit: "Confirm",
  },
};
