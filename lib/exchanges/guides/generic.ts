import type { ExchangeGuide } from "../types";

// Any other ccxt exchange: the same journey in general words, pointing at the exchange's site.
export function genericGuide(exchangeId: string, displayName: string, websiteUrl: string | null): ExchangeGuide {
  const site = websiteUrl ?? `${displayName}'s website`;
  return {
    exchangeId,
    displayName,
    apiManagementUrl: websiteUrl ?? "",
    steps: [
      { title: `Log in to ${displayName}`, instructions: `Open ${site} in a new tab and log in to the account that owns the key bound to MyITS.` },
      {
        title: "Open API management",
        instructions: "Find the API keys page, usually under your profile, account or security settings.",
      },
      { title: "Find the key bound to MyITS", instructions: "Find the key whose label and API key match the ones shown here." },
      { title: "Delete the key", instructions: "Delete (or revoke) that key and confirm." },
      {
        title: "Pass the security verification",
        instructions: `${displayName} may ask for a two-factor code, an email or SMS code, or a passkey before it deletes the key.`,
      },
      {
        title: `Confirm with ${displayName}`,
        instructions: `Come back and press Check. The unbind completes only when ${displayName} refuses the key as unknown.`,
      },
    ],
    verification: ["Two-factor code, email or SMS code, or passkey (as the exchange asks)"],
    selfRevoke: null,
    illustration: null,
  };
}
