import type { LookContent } from "../looks";

// How Gate's own pages look, for the unbind wizard's drawings of them (components/unbind/illustrations):
// the words on its buttons, its colours (a dark page, Gate's blue), its menus.

export const gateLook: LookContent = {
  palette: {
    page: "bg-[#0e0f12] text-[#eaecef]",
    bar: "bg-[#000000] text-[#eaecef] border-b border-[#2a2d34]",
    brand: "text-[#4d8bff]",
    surface: "bg-[#16181d]",
    border: "border-[#2a2d34]",
    muted: "text-[#a3a8b4]",
    field: "bg-[#22252c]",
    // Gate's blue, dark enough for white text (4.5:1)
    primary: "bg-[#1e5ae6] text-white",
    accent: "text-[#6b9cff]",
    danger: "text-[#ff6b6b]",
    ring: "ring-2 ring-[#4d8bff]",
    skeleton: "bg-[#22252c]",
    avatar: "bg-[#22252c] text-[#eaecef]",
  },
  loginAddress: "www.gate.com/login",
  apiAddress: "www.gate.com/myaccount/api_key_manage",
  loginFields: ["Email / Phone / Username", "Password"],
  loginButton: "Log In",
  menu: { items: ["Account Overview", "Security Settings", "API Management", "Sub-Account", "Log Out"], highlight: "API Management" },
  list: {
    heading: "API Management",
    createButton: "Create API Key",
    layout: "table",
    nameColumn: "Remark",
    keyColumn: "API Key",
    createdColumn: "Created",
    actions: ["Edit", "Delete"],
    deleteAction: "Delete",
  },
  deleteDialog: { title: "Delete API Key", cancel: "Cancel", confirm: "Confirm" },
  verification: {
    title: "Security Verification",
    methods: [
      { kind: "authenticator", label: "Google Authenticator code" },
      { kind: "email", label: "Email verification code", action: "Send" },
    ],
    submit: "Confirm",
  },
};
