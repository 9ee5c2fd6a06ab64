import type { ExchangeGuide } from "../types";

export const okxGuide: ExchangeGuide = {
  exchangeId: "okx",
  displayName: "OKX",
  apiManagementUrl: "https://www.okx.com/account/my-api",
  steps: [
    { title: "Log in to OKX", instructions: "Open okx.com in a new tab and log in to the account that owns the key bound to MyITS." },
    { title: "Open API management", instructions: "From your profile menu choose API (API keys), or use the link on this page." },
    {
      title: "Find the key bound to MyITS",
      instructions: "Find the key whose name (label) and API key match the ones shown here; OKX shows the start of each key.",
    },
    { title: "Delete the key", instructions: "Choose Delete for that key and confirm." },
    {
      title: "Pass OKX's security verification",
      instructions: "OKX asks for the verification your account uses: an authenticator-app (2FA) code and an email or SMS code.",
    },
    {
      title: "Confirm with OKX",
      instructions: "Come back and press Check. The unbind completes only when OKX answers that the key does not exist.",
    },
  ],
  verification: ["Authenticator app (2FA) code", "Email or SMS verification code"],
  selfRevoke: null,
  illustration: null,
};
