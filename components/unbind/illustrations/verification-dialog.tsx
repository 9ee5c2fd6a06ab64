import { ExchangeNav, IllustrationFrame, Skeleton } from "./frame";
import { drawingOf, type ExchangeLook, type VerificationMethod } from "@/lib/exchanges/looks";

// The exchange's security-verification dialog with the methods it asks for before a key is
// deleted. Which of them appear depends on what the user's account has turned on.

export function VerificationDrawing({ look }: { look: ExchangeLook }) {
  const p = look.palette;
  const { title, methods, submit } = look.verification;
  const asked = methods.map((m) => m.label).join(", ");
  return (
    <IllustrationFrame
      description={`${drawingOf(look, "security verification dialog")}: it asks for ${asked}, then ${submit}.`}
      caption={`${drawingOf(look, "security verification dialog")}. You see the methods your account uses.`}
      address={look.apiAddress}
      pageClassName={p.page}
    >
      <ExchangeNav look={look} signedIn />
      <div className="absolute inset-x-0 top-7">
        <Skeleton look={look} rows={6} />
      </div>
      <div className="relative flex justify-center px-3 pt-2">
        <div className={`w-full max-w-72 rounded-lg border p-3 shadow-lg ${p.surface} ${p.border}`}>
          <p className="mb-2 text-sm font-semibold">{title}</p>
          <div className="space-y-2">
            {methods.map((method) => (
              <Method key={method.label} look={look} method={method} />
            ))}
          </div>
          <span className={`mt-3 block rounded py-1 text-center font-semibold ${p.primary}`}>{submit}</span>
        </div>
      </div>
    </IllustrationFrame>
  );
}

function Method({ look, method }: { look: ExchangeLook; method: VerificationMethod }) {
  const p = look.palette;
  if (method.kind === "passkey") {
    return (
      <div className="flex items-center justify-between gap-2">
        <span className={p.muted}>{method.label}</span>
        <span className={`rounded border px-2 py-0.5 ${p.border}`}>{method.action ?? "Use passkey"}</span>
      </div>
    );
  }
  return (
    <div>
      <span className={`mb-0.5 block ${p.muted}`}>{method.label}</span>
      <div className="flex items-center gap-2">
        {method.kind === "authenticator" ? (
          <span className="flex gap-1" aria-hidden="true">
            {Array.from({ length: 6 }, (_, i) => (
              <span key={i} className={`h-5 w-4 rounded ${p.field}`} />
            ))}
          </span>
        ) : (
          <span className={`block h-5 flex-1 rounded ${p.field}`} />
        )}
        {method.action ? <span className={`shrink-0 font-semibold ${p.accent}`}>{method.action}</span> : null}
      </div>
    </div>
  );
}
