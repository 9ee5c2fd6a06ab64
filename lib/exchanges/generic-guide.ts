import { guideFor } from "./guide";
import { genericLook } from "./looks";
import type { ExchangeGuide } from "./types";

// Any other ccxt exchange: the same seven steps in general words, pointing at the exchange's
// site (ccxt's urls.www). Menu names differ between exchanges, so the words name the usual ones.
export function genericGuide(exchangeId: string, displayName: string, websiteUrl: string | null): ExchangeGuide {
  const site = websiteUrl ?? `${displayName}'s website`;
  return guideFor(exchangeId, displayName, {
    look: genericLook(websiteUrl),
    apiManagementUrl: websiteUrl ?? "",
    steps: [
      {
        id: "login",
        title: `Log in to ${displayName}`,
        instructions: `Open ${site} in a new tab (check the address in the address bar) and log in to the account that owns the key bound to MyITS.`,
      },
      {
        id: "open-api-management",
        title: "Open API management",
        instructions:
          "Open the page that lists your API keys. It is usually in the profile or account menu at the top right, called API, API Management or API keys, sometimes inside the security settings.",
      },
      {
        id: "find-key-list",
        title: "Find your API keys",
        instructions:
          "The page lists the API keys on the account, usually with a label, part of each key and its permissions. Seeing several keys is normal: other apps may use them.",
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
          "Choose Delete (some exchanges say Remove or Revoke) for that key and confirm. Avoid any option that deletes all keys at once: it would cut off your other services too.",
      },
      {
        id: "verify",
        title: "Pass the security verification",
        instructions: `${displayName} may ask for a two-factor (authenticator-app) code, an email or SMS code, or a passkey before it deletes the key.`,
      },
      {
        id: "confirm",
        title: `Confirm with ${displayName}`,
        instructions: `Come back to this page and start the check: MyITS asks ${displayName} with the stored key whether it still works. MyITS cannot prove that the key is deleted on ${displayName}: there, a refused key looks the same whether it was deleted or only restricted (an IP whitelist, a permission). Once the key no longer works, you confirm with your password that you deleted it; MyITS then asks ${displayName} again every few hours for a week, tells you if the key still answers, and destroys its stored copy when the week ends.`,
      },
    ],
    verification: ["Two-factor code, email or SMS code, or passkey (as the exchange asks)"],
    selfRevoke: null,
  }, true);
}
