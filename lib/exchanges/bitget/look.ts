import type { LookContent } from "../looks";

// How Bitget's own pages look, for the unbind wizard's drawings of them (components/unbind/illustrations):
// the words on its buttons, its colours (a dark page, Bitget's cyan), its menus.

export const bitgetLook: LookContent = {
  palette: {
    page: "bg-[#0b0e11] text-[#e8ecef]",
    bar: "bg-[#000000] text-[#e8ecef] border-b border-[#23282e]",
    brand: "text-[#00d5e0]",
    surface: "bg-[#15191e]",
    border: "border-[#2a3038]",
    muted: "text-[#a1a9b3]",
    field: "bg-[#1f242a]",
    // Bitget's cyan is light: dark text on it (4.5:1)
    primary: "bg-[#00c2cc] text-[#041316]",
    accent: "text-[#2fdde6]",
    danger: "text-[#ff6d6d]",
    ring: "ring-2 ring-[#00d5e0]",
    skeleton: "bg-[#1f242a]",
    avatar: "bg-[#1f242a] text-[#e8ecef]",
  },
  loginAddress: "www.bitget.com/login",
  apiAddress: "www.bitget.com/account/newapi",
  loginFields: ["Email / Phone number", "Password"],
  loginButton: "Log in",
  menu: { items: ["Overview", "Security", "Verification", "API Management", "Sub-accounts", "Log out"], highlight: "API Management" },
  list: {
    heading: "API Management",
    createButton: "Create API key",
    layout: "table",
    nameColumn: "Note",
    keyColumn: "API key",
    createdColumn: "Creation time",
    actions: ["Edit", "Delete"],
    deleteAction: "Delete",
  },
  deleteDialog: { title: "Delete API key", cancel: "Cancel", confirm: "Confirm" },
  verification: {
    title: "Security verification",
    methods: [
      { kind: "email", label: "Email verification code", action: "Get code" },
      { kind: "authenticator", label: "Google Authenticator code" },
    ],
    submit: "Confirm",
  },
};
