import { z } from "zod";

export const notificationTargetSchema = z.object({
  name: z.string({ error: "Give the webhook a name." }).trim().min(1, "Give the webhook a name.").max(80, "Use at most 80 characters."),
  url: z
    .url({ protocol: /^https?$/, error: "Enter an http:// or https:// address." })
    .max(2000, "That address is too long.")
    // zod runs refinements on a value the url check already refused: a junk address must not
    // reach new URL() (a TypeError, answered 500 / thrown from the action, not a field error).
    .refine((value) => {
      if (!URL.canParse(value)) return true;
      const url = new URL(value);
      return url.username === "" && url.password === "";
    }, "Put no user name or password in the address: the signature authenticates MyITS."),
});

export type NotificationTargetInput = z.infer<typeof notificationTargetSchema>;

export const targetIdSchema = z.string().regex(/^[a-z0-9]{10,40}$/, "not a webhook id");
