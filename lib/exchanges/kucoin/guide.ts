import type { GuideContent } from "../guide";
import { kucoinLook } from "./look";

// KuCoin deletes a key only on its website (its API has no call that deletes the calling key).
// The page is "API Management" in the account menu; each key shows its name, API key,
// permissions, IP restriction and creation date, with Edit and Delete.
export const kucoinGuide: GuideContent = {
  look: kucoinLook,
  apiManagementUrl: "https://www.kucoin.com/account/api",
  steps: [
    {
      id: "login",
      title: "Log in to KuCoin",
      instructions:
        "Open kucoin.com in a new tab (check that the address bar shows kucoin.com) and log in to the account that owns the key bound to MyITS. If the key belongs to a sub-account, log in to its main account.",
    },
    {
      id: "open-api-management",
      title: "Open API Management",
      instructions: "Hover over the profile icon at the top right and choose API Management. The link on this page opens it directly.",
    },
    {
      id: "find-key-list",
      title: "Find your API keys",
      instructions:
        "API Management lists every API key of the account with its name, API key, permissions (General, Spot, Margin, Futures...), IP restriction and creation date, each with Edit and Delete. Seeing several keys is normal: other apps may use them.",
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
      instructions: "Click Delete on that key and confirm in the dialog. Editing the key (removing permissions, changing its IP restriction) does not delete it.",
    },
    {
      id: "verify",
      title: "Pass KuCoin's security verification",
      instructions:
        "KuCoin asks for the verification your account has set up: an email verification code it sends when you click Send, and your Google Verification Code (2FA) if it is enabled. Once you confirm, the key disappears from the list.",
    },
    {
      id: "confirm",
      title: "Confirm with KuCoin",
      instructions:
        "Come back to this page and start the check. MyITS asks KuCoin with the stored key whether it still exists; the unbind completes only when KuCoin answers that the key does not exist (an IP restriction or a removed permission is not enough), and then MyITS destroys its stored copy.",
    },
  ],
  verification: ["Email verification code", "Google Verification Code (2FA), if enabled"],
  selfRevoke: null,
};
