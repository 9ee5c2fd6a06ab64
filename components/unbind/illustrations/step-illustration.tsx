import type { ReactNode } from "react";
import type { GuideStepId } from "@/lib/exchanges/types";
import { AccountMenuDrawing } from "./account-menu";
import { DeleteDrawing } from "./delete-dialog";
import { ExchangeCheckDrawing } from "./exchange-check";
import type { IllustratedKey } from "./key-facts";
import { KeyListDrawing } from "./key-list";
import { LoginDrawing } from "./login-page";
import type { ExchangeLook } from "@/lib/exchanges/looks";
import { VerificationDrawing } from "./verification-dialog";

// One drawing per unbind step: a simplified mock of the exchange's page drawn by us (never a
// screenshot or the exchange's artwork). Each full adapter's folder declares its exchange's look
// and words (lib/exchanges/<id>/look.ts); any other exchange gets neutral drawings named after it. Pure markup: renders on the server
// or the client alike.

export type { IllustratedKey } from "./key-facts";

export interface StepIllustrationProps {
  /** What to draw: the exchange's look, from its guide (guide.look). */
  look: ExchangeLook;
  stepId: GuideStepId;
  /** The key bound to MyITS, shown in the drawings so the user can match it on the exchange. */
  keyInfo: IllustratedKey;
}

const DRAWINGS: Record<GuideStepId, (look: ExchangeLook, keyInfo: IllustratedKey) => ReactNode> = {
  login: (look) => <LoginDrawing look={look} />,
  "open-api-management": (look) => <AccountMenuDrawing look={look} />,
  "find-key-list": (look, keyInfo) => <KeyListDrawing look={look} keyInfo={keyInfo} highlight={false} />,
  "locate-key": (look, keyInfo) => <KeyListDrawing look={look} keyInfo={keyInfo} highlight />,
  delete: (look, keyInfo) => <DeleteDrawing look={look} keyInfo={keyInfo} />,
  verify: (look) => <VerificationDrawing look={look} />,
  confirm: (look, keyInfo) => <ExchangeCheckDrawing look={look} keyInfo={keyInfo} />,
};

export function StepIllustration({ look, stepId, keyInfo }: StepIllustrationProps) {
  return DRAWINGS[stepId](look, keyInfo);
}
