import type { GuideContent } from "../guide";
import { bybitLook } from "./look";

// Bybit lets a key delete itself (POST /v5/user/delete-api), but only a key holding Account
// Transfer, Subaccount Transfer or Withdrawal permission may call it. By hand, a key can be
// deleted only on the website (not in the Bybit app): Account & Security > API Management.
export const bybitGuide: GuideContent = {
  look: bybitLook,
  apiManagementUrl: "https://www.bybit.com/app/user/api-management",
  steps: [
    {
      id: "login",
      title: "Log in to Bybit",
      instructions:
        "Open bybit.com in a new tab on a computer (the Bybit app cannot delete API keys), check that the address bar shows bybit.com, and log in to the account that owns the key bound to MyITS.",
    },
    {
      id: "open-api-management",
      title: "Open API Management",
      instructions:
        "Click your username or profile icon at the top right, choose Account & Security, then the API Management tab. The link on this page opens it directly.",
    },
    {
      id: "find-key-list",
      title: "Find your API keys",
      instructions:
        "API Management lists every API key on the account with its name, API key and permissions, and an Action column with Edit and Delete. Seeing several keys is normal: other apps may use them.",
    },
    {
      id: "locate-key",
      title: "Find the key bound to MyITS",
      instructions:
        "Look for the key whose name, API key and creation date match the ones shown here (compare the first and last characters of the API key). Only that key belongs to MyITS: leave the others alone.",
    },
    {
      id: "delete",
      title: "Delete the key",
      instructions: "In the Action column of that key, click Delete, then Confirm in the pop-up.",
    },
    {
      id: "verify",
      title: "Pass Bybit's security verification",
      instructions:
        "If Bybit asks, enter your authenticator-app (Google Authenticator, 2FA) code, and the email or SMS code it sends when your account uses one. Once you confirm, the key disappears from the list.",
    },
    {
      id: "confirm",
      title: "Confirm with Bybit",
      instructions:
        "Come back to this page and start the check. MyITS asks Bybit with the stored key whether it still works; the unbind completes only when Bybit answers that the key is invalid, and then MyITS destroys its stored copy.",
    },
  ],
  verification: ["Authenticator app (2FA) code", "Email or SMS verification code"],
  selfRevoke: {
    requiresAnyOf: ["transfer", "withdraw"],
    note: "This key holds a transfer or withdrawal permission, so MyITS can ask Bybit to delete it for you. You can still delete it on Bybit's website instead.",
  },
};
