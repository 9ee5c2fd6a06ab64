import type { GuideContent } from "../guide";
import { binanceLook } from "./look";

// Binance deletes a user's own key only on its website; MyITS can only confirm afterwards.
// Menu and button names are Binance's own (API Management, Edit restrictions, Delete).
export const binanceGuide: GuideContent = {
  look: binanceLook,
  apiManagementUrl: "https://www.binance.com/en/my/settings/api-management",
  steps: [
    {
      id: "login",
      title: "Log in to Binance",
      instructions:
        "Open binance.com in a new tab (check that the address bar shows binance.com) and log in to the account that owns the key bound to MyITS.",
    },
    {
      id: "open-api-management",
      title: "Open API Management",
      instructions:
        "Hover over the profile icon at the top right and choose API Management (on some layouts it sits under Account). The link on this page opens it directly.",
    },
    {
      id: "find-key-list",
      title: "Find your API keys",
      instructions:
        "API Management lists every API key on the account, each with its label, its API key and the buttons Edit restrictions and Delete. Seeing several keys is normal: other apps and services may use them.",
    },
    {
      id: "locate-key",
      title: "Find the key bound to MyITS",
      instructions:
        "Look for the key whose label, API key and creation date match the ones shown here (compare the first and last characters of the API key). Only that key belongs to MyITS: leave the others alone.",
    },
    {
      id: "delete",
      title: "Delete the key",
      instructions:
        "Click Delete on that key and confirm in the dialog. Do not use “Delete all API”: it would also cut off every other service that uses a key.",
    },
    {
      id: "verify",
      title: "Pass Binance's security verification",
      instructions:
        "Binance asks you to confirm the deletion with the methods your account uses: an authenticator-app (2FA) code, an email verification code (click Get Code), or a passkey. Once you submit, the key disappears from the list.",
    },
    {
      id: "confirm",
      title: "Confirm with Binance",
      instructions:
        "Come back to this page and start the check. MyITS asks Binance with the stored key whether it still exists; the unbind completes only when Binance answers that the key no longer exists, and then MyITS destroys its stored copy.",
    },
  ],
  verification: ["Authenticator app (2FA) code", "Email verification code", "Passkey"],
  selfRevoke: null,
};
