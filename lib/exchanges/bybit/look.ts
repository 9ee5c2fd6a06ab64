import type { LookContent } from "../looks";

// How Bybit's own pages look, for the unbind wizard's drawings of them (components/unbind/illustrations):
// the words on its buttons, its colours, its menus.

export const bybitLook: LookContent = {
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
