import type { ExchangeGuide } from "../types";

// Binance deletes a user's own key only on its website; MyITS can only confirm afterwards.
export const binanceGuide: ExchangeGuide = {
  exchangeId: "binance",
  displayName: "Binance",
  apiManagementUrl: "https://www.binance.com/en/my/settings/api-management",
  steps: [
    {
      title: "Log in to Binance",
      instructions: "Open binance.com in a new tab and log in to the account that owns the key bound to MyITS.",
    },
    {
      title: "Open API Management",
      instructions: "From your profile menu choose Account, then API Management (or use the link on this page).",
    },
    {
      title: "Find the key bound to MyITS",
      instructions:
        "Look for the key whose label and API key match the ones shown here (compare the first and last characters). Other keys on the page belong to other services: leave them alone.",
    },
    {
      title: "Delete the key",
      instructions: "Click Delete next to that key and confirm. Do not use “Delete all API”: it would also cut off your other services.",
    },
    {
      title: "Pass Binance's security verification",
      instructions:
        "Binance asks you to confirm the deletion with the methods your account uses: an authenticator-app (2FA) code, an email verification code, or a passkey.",
    },
    {
      title: "Confirm with Binance",
      instructions:
        "Come back and press Check. MyITS asks Binance with the stored key; the unbind completes only when Binance answers that the key no longer exists.",
    },
  ],
  verification: ["Authenticator app (2FA) code", "Email verification code", "Passkey"],
  selfRevoke: null,
  illustration: null,
};
