import type { LookContent } from "../looks";

// How the Coinbase Developer Platform (CDP) portal's pages look, for the unbind wizard's
// drawings of them (components/unbind/illustrations): a light page, Coinbase's blue, the Access
// page with its API Keys tab, a Configure button on each key and the delete confirmation.

export const coinbaseLook: LookContent = {
  palette: {
    page: "bg-[#f5f8ff] text-[#0a0b0d]",
    bar: "bg-[#fff] text-[#0a0b0d] border-b border-[#dee1e7]",
    // Coinbase's blue: 5.7:1 on white, 5.0:1 on the field grey
    brand: "text-[#0052ff]",
    surface: "bg-[#fff]",
    border: "border-[#dee1e7]",
    muted: "text-[#5b616e]",
    field: "bg-[#eef0f3]",
    primary: "bg-[#0052ff] text-white",
    accent: "text-[#0047e0]",
    danger: "text-[#c2141a]",
    ring: "ring-2 ring-[#0052ff]",
    skeleton: "bg-[#eef0f3]",
    avatar: "bg-[#eef0f3] text-[#0a0b0d]",
  },
  loginAddress: "login.coinbase.com/signin",
  apiAddress: "portal.cdp.coinbase.com/access/api",
  loginFields: ["Email", "Password"],
  loginButton: "Continue",
  menu: { items: ["Projects", "Access", "Billing", "Settings", "Sign out"], highlight: "Access", tabs: { items: ["API Keys", "OAuth", "Wallet Secret"], highlight: "API Keys" } },
  list: {
    heading: "Secret API Keys",
    createButton: "Create API key",
    layout: "table",
    nameColumn: "Nickname",
    keyColumn: "API key ID",
    createdColumn: "Created",
    actions: ["Configure", "Delete"],
    deleteAction: "Delete",
  },
  deleteDialog: { title: "Delete API key?", cancel: "Cancel", confirm: "Delete" },
  verification: {
    title: "2-step verification",
    methods: [
      { kind: "authenticator", label: "Authenticator app code" },
      { kind: "sms", label: "Code sent by text message" },
      { kind: "passkey", label: "Security key or passkey", action: "Use security key" },
    ],
    submit: "Verify",
  },
};
