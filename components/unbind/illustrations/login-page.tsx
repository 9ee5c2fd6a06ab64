import { ExchangeNav, IllustrationFrame, Note } from "./frame";
import { drawingOf, type ExchangeLook } from "@/lib/exchanges/looks";

// The exchange's log-in page, with a reminder to check the address (phishing copies of
// exchange log-in pages are common).

export function LoginDrawing({ look }: { look: ExchangeLook }) {
  const p = look.palette;
  const where = look.loginAddress ? `the address bar showing ${look.loginAddress}` : `${look.name}'s address in the address bar`;
  return (
    <IllustrationFrame
      description={`${drawingOf(look, "log-in page")}: a form asking for ${look.loginFields.join(" and ")}, with ${where}.`}
      caption={`${drawingOf(look, "log-in page")}.`}
      address={look.loginAddress}
      pageClassName={p.page}
    >
      <ExchangeNav look={look} signedIn={false} />
      <div className="px-3 pt-2">
        <Note>Check the address first</Note>
      </div>
      <div className="flex justify-center px-3 pt-1">
        <div className={`w-full max-w-60 rounded-lg border p-3 ${p.surface} ${p.border}`}>
          <p className="mb-2 text-sm font-semibold">{look.loginButton}</p>
          {look.loginFields.map((field) => (
            <div key={field} className="mb-2">
              <span className={`mb-0.5 block ${p.muted}`}>{field}</span>
              <span className={`block h-5 rounded ${p.field}`} />
            </div>
          ))}
          <span className={`mt-1 block rounded py-1 text-center font-semibold ${p.primary}`}>{look.loginButton}</span>
        </div>
      </div>
    </IllustrationFrame>
  );
}
