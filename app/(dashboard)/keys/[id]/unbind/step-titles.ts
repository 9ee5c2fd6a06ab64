// The wizard's step names live in lib/unbind/step-names.ts, shared with the audit log.
export { stepTitle } from "@/lib/unbind/step-names";
