import type { LookContent } from "../looks";

// How Binance's own pages look, for the unbind wizard's drawings of them (components/unbind/illustrations):
// the words on its buttons, its colours, its menus.

export const binanceLook: LookContent = {
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
