import type { LookContent } from "../looks";

// How OKX's own pages look, for the unbind wizard's drawings of them (components/unbind/illustrations):
// the words on its buttons, its colours, its menus.

export const okxLook: LookContent = {
  palette: {
    page: "bg-[#fff] text-black",
    bar: "bg-black text-white",
    brand: "text-white",
    surface: "bg-[#fff]",
    border: "border-neutral-300",
    muted: "text-neutral-600",
    field: "bg-neutral-100",
    primary: "bg-black text-white",
    accent: "text-black underline",
    danger: "text-[#b91c1c]",
    ring: "ring-2 ring-black ring-offset-1 ring-offset-[#fff]",
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
