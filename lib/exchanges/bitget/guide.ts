import type { GuideContent } from "../guide";
import { bitgetLook } from "./look";

// Bitget deletes a key only on its website: the API has no call for a key to delete itself.
// The page is "API Management" in the profile menu; each key shows its note, API key,
// permissions, bound IP addresses and creation time, with Edit and Delete.
export const bitgetGuide: GuideContent = {
  look: bitgetLook,
  apiManagementUrl: "https://www.bitget.com/account/newapi",
  steps: [
    {
      id: "login",
      title: "Log in to Bitget",
      instructions: "Open bitget.com in a new tab (check that the address bar shows bitget.com) and log in to the account that owns the key bound to MyITS.",
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
        "API Management lists your keys with their note, API key, permissions (read-only or read and write, per area: spot, futures, margin, wallet...), bound IP addresses and creation time, each with Edit and Delete. Seeing several keys is normal: other apps may use them.",
    },
    {
      id: "locate-key",
      title: "Find the key bound to MyITS",
      instructions:
        "Look for the key whose note and API key match the ones shown here (compare the first and last characters of the API key; Bitget's keys start with bg_). Only that key belongs to MyITS: leave the others alone.",
    },
    {
      id: "delete",
      title: "Delete the key",
      instructions: "Click Delete on that key and confirm in the dialog. Editing it (read-only permissions, other bound IP addresses) does not delete it.",
    },
    {
      id: "verify",
      title: "Pass Bitget's security verification",
      instructions:
        "Bitget asks for the verification your account has set up: an email code it sends when you click Get code, and a Google Authenticator code or an SMS code. Once you confirm, the key disappears from the list.",
    },
    {
      id: "confirm",
      title: "Confirm with Bitget",
      instructions:
        "Come back to this page and start the check. MyITS asks Bitget with the stored key whether it still exists; the unbind completes only when Bitget answers that the key does not exist (an IP binding or a removed permission is not enough), and then MyITS destroys its stored copy.",
    },
  ],
  verification: ["Email verification code", "Google Authenticator (2FA) code, or an SMS verification code"],
  selfRevoke: null,
};
