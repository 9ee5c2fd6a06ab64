import { z } from "zod";

// What an unbind session has recorded so far, stored as UnbindSession.evidence. Parsed on every
// read: a row written by an older version (or by hand) that does not fit is refused loudly
// rather than half-trusted.

const at = z.iso.datetime();

export const confirmOutcomeSchema = z.enum(["revoked", "valid", "ambiguous", "unreachable"]);
export type ConfirmOutcome = z.infer<typeof confirmOutcomeSchema>;

export const unbindEvidenceSchema = z.object({
  /** Why the user is unbinding; "transfer" carries the bots to a key on another exchange. */
  purpose: z.object({ reason: z.enum(["transfer", "leaving", "cleanup", "compromised"]), targetExchange: z.string().optional() }).optional(),
  backup: z.object({ declinedAt: at, reason: z.string().max(500).optional() }).optional(),
  impact: z.object({ reviewedAt: at, acknowledgedBotIds: z.array(z.string()), stoppedBotIds: z.array(z.string()) }).optional(),
  security: z.object({ acknowledged: z.array(z.string()), acknowledgedAt: at }).optional(),
  notify: z.union([
    z.object({ kind: z.literal("sent"), at }),
    z.object({ kind: z.literal("none_needed"), at }),
  ]).optional(),
  revokeFromHere: z.object({ at, result: z.string() }).optional(),
  confirmations: z.array(z.object({ at, outcome: confirmOutcomeSchema, reason: z.string().optional(), message: z.string() })).default([]),
  forced: z.object({ at, acknowledgement: z.string() }).optional(),
  /** Completed on the user's word where the exchange cannot prove a deletion; the key is watched until `watchUntil`. */
  unprovable: z.object({ at, acknowledgement: z.string(), watchUntil: at }).optional(),
  /** Bots detached from the key when it was unbound: a new key may take them over. */
  detachedBotIds: z.array(z.string()).default([]),
  review: z.object({ reviewedAt: at }).optional(),
});

export type UnbindEvidence = z.infer<typeof unbindEvidenceSchema>;

export function parseEvidence(value: unknown): UnbindEvidence {
  return unbindEvidenceSchema.parse(value ?? {});
}

export function lastConfirmation(evidence: UnbindEvidence) {
  return evidence.confirmations.at(-1) ?? null;
}
