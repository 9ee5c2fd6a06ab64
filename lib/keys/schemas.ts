import { z } from "zod";

const noSpaces = (what: string) => z.string().trim().regex(/^\S+$/, `${what} contains no spaces.`);

export const bindKeySchema = z.object({
  exchange: z.string({ error: "Choose an exchange." }).trim().toLowerCase().regex(/^[a-z0-9]{2,32}$/, "Choose an exchange."),
  label: z.string({ error: "Give the key a name." }).trim().min(1, "Give the key a name you will recognise.").max(64, "Use at most 64 characters."),
  apiKey: noSpaces("An API key").min(8, "That API key is too short.").max(256, "That API key is too long."),
  secret: noSpaces("A secret").min(8, "That secret is too short.").max(512, "That secret is too long."),
  passphrase: z.string().max(128, "That passphrase is too long.").transform((v) => v || undefined).optional(),
});

export type BindKeyInput = z.infer<typeof bindKeySchema>;

export const bindingIdSchema = z.string().regex(/^[a-z0-9]{10,40}$/, "not a key id");
