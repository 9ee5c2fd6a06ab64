import { IllustrationFrame } from "./frame";
import { keyLabel, type IllustratedKey } from "./key-facts";
import type { ExchangeLook } from "@/lib/exchanges/looks";

// Not the exchange's page: how MyITS confirms the deletion. It signs a request with the stored
// key and lets the exchange's answer decide; only "no such key" completes the unbind.

export function ExchangeCheckDrawing({ look, keyInfo }: { look: ExchangeLook; keyInfo: IllustratedKey }) {
  const p = look.palette;
  return (
    <IllustrationFrame
      description={`Drawing, not a screenshot: MyITS checks with ${look.name}. It asks ${look.name} with the stored key ${keyInfo.maskedKey} whether the key still exists. If ${look.name} answers that the key does not exist, the unbind completes and MyITS destroys its stored copy; if the key still works, delete it on ${look.name} and check again.`}
      caption={`Drawing of how MyITS checks with ${look.name}, not a screenshot.`}
      pageClassName="bg-slate-50 text-slate-900"
    >
      <div className="flex h-full flex-col justify-center gap-3 p-3">
        <div className="flex items-center gap-2">
          <div className="min-w-0 flex-1 rounded-lg border border-indigo-300 bg-white p-2 @md:max-w-44">
            <p className="font-semibold text-indigo-800">MyITS</p>
            <p className="line-clamp-2 break-words text-slate-600">{keyLabel(keyInfo.label)}</p>
            <p className="font-mono text-slate-700">{keyInfo.maskedKey}</p>
          </div>
          <div className="flex w-20 shrink-0 flex-col items-center text-center text-slate-700 @md:w-auto @md:flex-1">
            <span>Does this key still exist?</span>
            <Arrow />
            <span className="hidden text-[10px] text-slate-600 @md:inline">signed with the stored key</span>
          </div>
          <div className={`min-w-0 flex-1 rounded-lg p-2 @md:max-w-44 ${p.bar}`}>
            <p className={`font-semibold ${p.brand}`}>{look.name}</p>
            <p>API</p>
          </div>
        </div>
        <div className="grid gap-1.5 @md:grid-cols-2">
          <Answer
            tone="good"
            answer={`${look.name}: no such key`}
            result="Unbind complete: MyITS destroys its stored copy"
          />
          <Answer tone="wait" answer={`${look.name}: key still works`} result={`Delete it on ${look.name}, then check again`} />
        </div>
      </div>
    </IllustrationFrame>
  );
}

function Arrow() {
  return (
    <svg viewBox="0 0 120 12" className="h-3 w-full max-w-32" aria-hidden="true" focusable="false">
      <path d="M2 6h112M108 1l8 5-8 5" className="stroke-slate-500" strokeWidth="2" fill="none" />
    </svg>
  );
}

function Answer({ tone, answer, result }: { tone: "good" | "wait"; answer: string; result: string }) {
  const style = tone === "good" ? "border-emerald-300 bg-emerald-50 text-emerald-900" : "border-amber-300 bg-amber-50 text-amber-900";
  return (
    <div className={`rounded-md border px-2 py-1 ${style}`}>
      <p className="font-semibold">
        <span aria-hidden="true">{tone === "good" ? "✓ " : "↻ "}</span>
        {answer}
      </p>
      <p>{result}</p>
    </div>
  );
}
