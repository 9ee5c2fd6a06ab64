import { z } from "zod";
import { bindingIdSchema } from "@/lib/keys/schemas";
import { wizardSteps } from "./steps";

// Every request the wizard can make, one discriminated union for the server actions and the
// JSON route alike. The state machine decides whether it is allowed; this only checks shape.

const id = z.string().regex(/^[a-z0-9]{10,40}$/, "not an id");

export const FORCE_ACKNOWLEDGEMENT = "I deleted the key on the exchange myself";

/** What the user types where MyITS cannot prove a deletion (an exchange without a full adapter). */
export const UNPROVABLE_ACKNOWLEDGEMENT = "I deleted the key myself and know MyITS cannot prove it";

export const unbindActionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("goto"), to: z.enum(wizardSteps) }),
  z.object({ type: z.literal("decline_backup"), reason: z.string().trim().max(500).optional() }),
  z.object({ type: z.literal("accept_backup_gaps") }),
  z.object({ type: z.literal("acknowledge_impact"), botIds: z.array(id).max(200).default([]) }),
  z.object({ type: z.literal("stop_bots"), botIds: z.array(id).min(1, "Choose at least one bot.").max(200) }),
  z.object({ type: z.literal("acknowledge_security"), items: z.array(z.string().max(40)).max(20) }),
  z.object({ type: z.literal("send_notifications") }),
  z.object({ type: z.literal("retry_notification"), deliveryId: id }),
  z.object({ type: z.literal("no_notification_needed") }),
  z.object({ type: z.literal("confirm") }),
  z.object({ type: z.literal("revoke_from_here") }),
  z.object({
    type: z.literal("force_unbind"),
    acknowledgement: z.string().trim().refine((v) => v === FORCE_ACKNOWLEDGEMENT, `Type exactly: ${FORCE_ACKNOWLEDGEMENT}`),
  }),
  z.object({
    type: z.literal("acknowledge_unprovable"),
    acknowledgement: z.string().trim().refine((v) => v === UNPROVABLE_ACKNOWLEDGEMENT, `Type exactly: ${UNPROVABLE_ACKNOWLEDGEMENT}`),
  }),
  z.object({ type: z.literal("finish_review") }),
  z.object({ type: z.literal("cancel") }),
]);

export type UnbindAction = z.infer<typeof unbindActionSchema>;

export const startUnbindSchema = z.object({
  bindingId: bindingIdSchema,
  reason: z.enum(["transfer", "leaving", "cleanup", "compromised"]).default("cleanup"),
  targetExchange: z.string().trim().toLowerCase().regex(/^[a-z0-9]{2,32}$/).optional().or(z.literal("").transform(() => undefined)),
});

export type StartUnbindInput = z.infer<typeof startUnbindSchema>;

export const sessionIdSchema = id;
