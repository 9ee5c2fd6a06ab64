import { z } from "zod";

const noSpaces = (what: string) => z.string().trim().regex(/^\S+$/, `${what} contains no spaces.`);

/** One PEM block (an exchange's private key, e.g. Coinbase's CDP keys), lines of base64 between its armour. */
const PEM = /^-----BEGIN ([A-Z0-9 ]{3,40})-----\n(?:[A-Za-z0-9+/=]{1,76}\n){1,80}-----END \1-----\n$/;

/**
 * A PEM block as pasted: from a text area (CRLF line ends, indentation) or from the JSON key
 * file an exchange hands out, whose "\n" escapes arrive as two characters. One trailing newline,
 * as the exchanges write it.
 */
export function normalizePem(value: string): string {
  const lines = value.replace(/\\n/g, "\n").replace(/\r\n?/g, "\n").split("\n").map((line) => line.trim()).filter(Boolean);
  return `${lines.join("\n")}\n`;
}

// A secret is one token, or a PEM private key for the exchanges whose adapter asks for one
// (CredentialForm.secretFormat; the form shows a text area for them). The shape is checked here,
// the exchange checks the key.
const secretSchema = z
  .string()
  .trim()
  .transform((value) => (value.startsWith("-----BEGIN ") ? normalizePem(value) : value))
  .superRefine((value, ctx) => {
    if (value.startsWith("-----BEGIN ")) {
      if (value.length > 4096) ctx.addIssue({ code: "custom", message: "That private key is too long." });
      else if (!PEM.test(value)) ctx.addIssue({ code: "custom", message: "That private key is not complete: paste everything from -----BEGIN to the -----END line." });
      return;
    }
    if (!/^\S+$/.test(value)) ctx.addIssue({ code: "custom", message: "A secret contains no spaces." });
    else if (value.length < 8) ctx.addIssue({ code: "custom", message: "That secret is too short." });
    else if (value.length > 512) ctx.addIssue({ code: "custom", message: "That secret is too long." });
  });

export const bindKeySchema = z.object({
  exchange: z.string({ error: "Choose an exchange." }).trim().toLowerCase().regex(/^[a-z0-9]{2,32}$/, "Choose an exchange."),
  label: z.string({ error: "Give the key a name." }).trim().min(1, "Give the key a name you will recognise.").max(64, "Use at most 64 characters."),
  apiKey: noSpaces("An API key").min(8, "That API key is too short.").max(256, "That API key is too long."),
  secret: secretSchema,
  passphrase: z.string().max(128, "That passphrase is too long.").transform((v) => v || undefined).optional(),
});

export type BindKeyInput = z.infer<typeof bindKeySchema>;

export const bindingIdSchema = z.string().regex(/^[a-z0-9]{10,40}$/, "not a key id");
