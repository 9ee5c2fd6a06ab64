import type { ExchangeGuide } from "../types";

// Bybit lets a key delete itself (POST /v5/user/delete-api), but only a key holding Account
// Transfer, Subaccount Transfer or Withdrawal permission may call it.
export const bybitGuide: ExchangeGuide = {
  exchangeId: "bybit",
  displayName: "Bybit",
  apiManagementUrl: "https://www.bybit.com/app/user/api-management",
  steps: [
    { title: "Log in to Bybit", instructions: "Open bybit.com in a new tab and log in to the account that owns the key bound to MyITS." },
    { title: "Open API management", instructions: "From your profile menu choose API, or use the link on this page." },
    {
      title: "Find the key bound to MyITS",
      instructions: "Find the key whose name (note) and API key match the ones shown here.",
    },
    { title: "Delete the key", instructions: "Choose Delete for that key and confirm." },
    {
      title: "Pass Bybit's security verification",
      instructions: "Bybit asks for your authenticator-app (2FA) code, and an email or SMS code if your account uses one.",
    },
    {
      title: "Confirm with Bybit",
      instructions: "Come back and press Check. The unbind completes only when Bybit answers that the key is invalid.",
    },
  ],
  verification: ["Authenticator app (2FA) code", "Email or SMS verification code"],
  selfRevoke: {
    requiresAnyOf: ["transfer", "withdraw"],
    note: "This key holds a transfer or withdrawal permission, so MyITS can ask Bybit to delete it for you. You can still delete it on Bybit's website instead.",
  },
  illustration: null,
};
