import type { GuideContent } from "../guide";
import { krakenLook } from "./look";

// Kraken deletes a key only on its website: no API call deletes the calling key. The keys are
// listed under Security -> API (https://www.kraken.com/u/security/api) with their description,
// permissions and dates; a key can be edited (permissions, IP allowlist, expiry, query window)
// or deleted. https://support.kraken.com/hc/en-us/articles/360000919966-How-to-generate-an-API-key-pair-
export const krakenGuide: GuideContent = {
  look: krakenLook,
  apiManagementUrl: "https://www.kraken.com/u/security/api",
  steps: [
    {
      id: "login",
      title: "Sign in to Kraken",
      instructions: "Open kraken.com in a new tab (check that the address bar shows www.kraken.com) and sign in to the account that owns the key bound to MyITS.",
    },
    {
      id: "open-api-management",
      title: "Open Security, then API",
      instructions: "Click your name at the top right, choose Security, then the API tab. The link on this page opens it directly.",
    },
    {
      id: "find-key-list",
      title: "Find your API keys",
      instructions:
        "The API tab lists your keys with their description, permissions and dates. Seeing several keys is normal: other apps may use them. Kraken Futures keys are made and listed on futures.kraken.com, not here.",
    },
    {
      id: "locate-key",
      title: "Find the key bound to MyITS",
      instructions:
        "Look for the key whose description, API key and creation date match the ones shown here (compare the first and last characters of the API key). Only that key belongs to MyITS: leave the others alone.",
    },
    {
      id: "delete",
      title: "Delete the key",
      instructions:
        "Open that key's menu and choose Delete, then confirm. Editing it (removing permissions, another IP allowlist, an expiry date) does not delete it: the key would still answer.",
    },
    {
      id: "verify",
      title: "Pass Kraken's security check",
      instructions:
        "If your account uses two-factor authentication for account changes, Kraken asks for the code from your authenticator app or for your security key or passkey. Once you confirm, the key disappears from the list.",
    },
    {
      id: "confirm",
      title: "Confirm with Kraken",
      instructions:
        "Come back to this page and start the check. MyITS asks Kraken with the stored key whether it still exists; the unbind completes only when Kraken answers twice that the key is invalid (an IP allowlist or a removed permission is not enough), and then MyITS destroys its stored copy.",
    },
  ],
  verification: ["Two-factor authentication code (authenticator app), or a security key or passkey, if the account uses one for account changes"],
  selfRevoke: null,
};
