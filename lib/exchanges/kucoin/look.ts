import type { LookContent } from "../looks";

// How KuCoin's own pages look, for the unbind wizard's drawings of them (components/unbind/illustrations):
// the words on its buttons, its colours (a light page, a near-black bar, KuCoin's green), its menus.

export const kucoinLook: LookContent = {
  palette: {
    page: "bg-[#f7f8fa] text-[#121212]",
    bar: "bg-[#0a0d0c] text-white",
    brand: "text-[#24ae8f]",
    surface: "bg-[#fff]",
    border: "border-[#dcdfe3]",
    muted: "text-[#595d61]",
    field: "bg-[#f2f3f5]",
    // KuCoin's green, darkened enough for white text (4.5:1)
    primary: "bg-[#087a60] text-white",
    accent: "text-[#087a60]",
    danger: "text-[#c2183a]",
    ring: "ring-2 ring-[#087a60] ring-offset-1 ring-offset-[#fff]",
    skeleton: "bg-[#e6e8eb]",
    avatar: "bg-[#2a2d30] text-white",
  },
  loginAddress: "www.kucoin.com/ucenter/signin",
  apiAddress: "www.kucoin.com/account/api",
  loginFields: ["Email / Phone Number", "Password"],
  loginButton: "Log In",
  menu: { items: ["Account Overview", "Account Security", "API Management", "Sub-Account", "Log Out"], highlight: "API Management" },
  list: {
    heading: "API Management",
    createButton: "Create API",
    layout: "cards",
    nameColumn: "API Name",
    keyColumn: "API Key",
    createdColumn: "Created on",
    actions: ["Edit", "Delete"],
    deleteAction: "Delete",
  },
  deleteDialog: { title: "Delete API", cancel: "Cancel", confirm: "Confirm" },
  verification: {
    title: "Security Verification",
    methods: [
      { kind: "email", label: "Email verification code", action: "Send" },
      { kind: "authenticator", label: "Google Verification Code" },
    ],
    submit: "Confirm",
  },
};
