import type { GuideContent } from "../guide";
import { okxLook } from "./look";

// OKX deletes a key only on its website (no self-delete call). OKX calls the page "API" in the
// profile menu; each key has a name, permissions and linked IP addresses.
export const okxGuide: GuideContent = {
  look: okxLook,
  apiManagementUrl: "https://www.okx.com/account/my-api",
  steps: [
    {
      id: "login",
      title: "Log in to OKX",
      instructions:
        "Open okx.com in a new tab (check that the address bar shows okx.com) and log in to the account that owns the key bound to MyITS.",
    },
    {
      id: "open-api-management",
      title: "Open API management",
      instructions: "Hover over the profile icon at the top right and choose API. The link on this page opens it directly.",
    },
    {
      id: "find-key-list",
      title: "Find your API keys",
      instructions:
        "The API page lists every API key on the account with its name, permissions and linked IP addresses, and the actions Edit and Delete. Seeing several keys is normal: other apps may use them.",
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
      instructions: "Click Delete for that key and confirm in the dialog.",
    },
    {
      id: "verify",
      title: "Pass OKX's security verification",
      instructions:
        "OKX asks for the verification your account has set up: an authenticator-app (2FA) code, and an email or SMS code it sends when you click Send code. Once you confirm, the key disappears from the list.",
    },
    {
      id: "confirm",
      title: "Confirm with OKX",
      instructions:
        "Come back to this page and start the check. MyITS asks OKX with the stored key whether it still exists; the unbind completes only when OKX answers that the key does not exist, and then MyITS destroys its stored copy.",
    },
  ],
  verification: ["Authenticator app (2FA) code", "Email or SMS verification code"],
  selfRevoke: null,
};
