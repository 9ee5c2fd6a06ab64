import type { GuideContent } from "../guide";
import { gateLook } from "./look";

// Gate deletes a main-account key only on its website (sub-account keys can be deleted through
// the API by the main account, not by the key itself). The page is "API Management" in the
// profile menu; each APIv4 key shows its remark, key, permissions, IP whitelist and dates.
export const gateGuide: GuideContent = {
  look: gateLook,
  apiManagementUrl: "https://www.gate.com/myaccount/api_key_manage",
  steps: [
    {
      id: "login",
      title: "Log in to Gate",
      instructions: "Open gate.com in a new tab (check that the address bar shows gate.com) and log in to the account that owns the key bound to MyITS.",
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
        "API Management lists your APIv4 keys with their remark, API key, permissions (spot, margin, futures, wallet...), IP whitelist and creation date, each with Edit and Delete. Seeing several keys is normal: other apps may use them.",
    },
    {
      id: "locate-key",
      title: "Find the key bound to MyITS",
      instructions:
        "Look for the key whose remark, API key and creation date match the ones shown here (compare the first and last characters of the API key). Only that key belongs to MyITS: leave the others alone.",
    },
    {
      id: "delete",
      title: "Delete the key",
      instructions: "Click Delete on that key and confirm in the dialog. Editing it (read-only permissions, another IP whitelist) does not delete it.",
    },
    {
      id: "verify",
      title: "Pass Gate's security verification",
      instructions:
        "Gate asks for your fund password and the verification your account has set up: a Google Authenticator (2FA) code, or an email or SMS code it sends when you click Send. Once you confirm, the key disappears from the list.",
    },
    {
      id: "confirm",
      title: "Confirm with Gate",
      instructions:
        "Come back to this page and start the check. MyITS asks Gate with the stored key whether it still exists; the unbind completes only when Gate answers that the key is invalid (an IP whitelist or a removed permission is not enough), and then MyITS destroys its stored copy.",
    },
  ],
  verification: ["Fund password", "Google Authenticator (2FA) code, or an email or SMS verification code"],
  selfRevoke: null,
};
