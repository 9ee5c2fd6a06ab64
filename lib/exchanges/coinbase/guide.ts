import type { GuideContent } from "../guide";
import { coinbaseLook } from "./look";

// Coinbase Advanced Trade keys are CDP API keys, managed in the Coinbase Developer Platform
// portal (portal.cdp.coinbase.com), not in the Coinbase app: Access, the API Keys tab, each key
// by its nickname and key ID, with Configure (permissions, IP allowlist) and Delete. A key
// cannot delete itself through the API.
//
// What the last step can promise: Coinbase answers a deleted key exactly as it answers a wrong
// private key, an expired signature or an address outside the key's IP allowlist (HTTP 401
// "Unauthorized", nothing more), so MyITS cannot prove the deletion (lib/exchanges/coinbase/index.ts).
export const coinbaseGuide: GuideContent = {
  look: coinbaseLook,
  apiManagementUrl: "https://portal.cdp.coinbase.com/access/api",
  steps: [
    {
      id: "login",
      title: "Log in to the Coinbase Developer Platform",
      instructions:
        "Open portal.cdp.coinbase.com in a new tab (check that the address bar shows coinbase.com) and sign in with the Coinbase account that owns the key bound to MyITS.",
    },
    {
      id: "open-api-management",
      title: "Open Access, then API Keys",
      instructions: "Choose Access in the portal's menu and open the API Keys tab. The link on this page opens it directly.",
    },
    {
      id: "find-key-list",
      title: "Find your secret API keys",
      instructions:
        "The Secret API Keys table lists each key with its nickname, API key ID and creation date. Seeing several keys is normal: other apps and portfolios may use them.",
    },
    {
      id: "locate-key",
      title: "Find the key bound to MyITS",
      instructions:
        "Look for the key whose API key ID ends with the last characters shown here (MyITS shows the key name organizations/…/apiKeys/… shortened, and the name ends with the key ID), and whose nickname and date fit. Only that key belongs to MyITS: leave the others alone.",
    },
    {
      id: "delete",
      title: "Delete the key",
      instructions:
        "Open the key's menu (or Configure) and choose Delete, then confirm in the dialog. Removing its View permission or changing its IP allowlist does not delete it.",
    },
    {
      id: "verify",
      title: "Pass Coinbase's 2-step verification",
      instructions:
        "If Coinbase asks, confirm with your 2-step verification: a security key or passkey, an authenticator app code, or the code it texts you. Once confirmed, the key disappears from the table.",
    },
    {
      id: "confirm",
      title: "Confirm with Coinbase",
      instructions:
        "Come back to this page and start the check. MyITS asks Coinbase with the stored key whether it still works. Coinbase cannot say that a key is deleted: it refuses a deleted key with the same “Unauthorized” it gives a key outside its IP allowlist. So if Coinbase still accepts the key the unbind waits, and if it refuses it you confirm the deletion on your word; MyITS then keeps checking the key for a week before it destroys its stored copy.",
    },
  ],
  verification: ["Coinbase 2-step verification: security key or passkey, authenticator app code, or text message code"],
  selfRevoke: null,
};
