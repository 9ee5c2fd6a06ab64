import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { exportJobJson } from "@/app/(dashboard)/backups/export-json";
import { requirePageUser } from "@/lib/auth/current-user";
import { listExportJobs } from "@/lib/backups/export/export-jobs";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { supportedExchanges } from "@/lib/exchanges/registry";
import { exchangeName, getBinding } from "@/lib/keys/list-keys";
import { bindingIdSchema } from "@/lib/keys/schemas";
import { isExchangeStep } from "@/lib/unbind/steps";
import { currentSessionOf } from "@/lib/unbind/unbind-session";
import { getWizardView, remainingKeys } from "@/lib/unbind/wizard-view";
import { GateList } from "./gate-list";
import { StartUnbind } from "./start-unbind";
import { StepHeading } from "./step-heading";
import { stepTitle } from "./step-titles";
import { Stepper } from "./stepper";
import { BackupStep } from "./steps/backup-step";
import { ConfirmStep } from "./steps/confirm-step";
import { ExchangeStep } from "./steps/exchange-step";
import { ImpactStep } from "./steps/impact-step";
import { NotifyStep } from "./steps/notify-step";
import { ReviewStep } from "./steps/review-step";
import { SecurityStep } from "./steps/security-step";
import { WizardNav } from "./wizard-nav";

export const metadata: Metadata = { title: "Unbind a key" };

export default async function UnbindPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePageUser(`/keys/${id}/unbind`);
  const bindingId = bindingIdSchema.safeParse(id);
  if (!bindingId.success) notFound();
  const client = db();

  const session = await currentSessionOf(client, user.id, bindingId.data);
  if (!session) {
    const binding = await getBinding(client, user.id, bindingId.data).catch((error: unknown) => {
      if (isAppError(error) && error.code === "NOT_FOUND") notFound();
      throw error;
    });
    return (
      <>
        <h1 className="text-2xl font-semibold">Unbind “{binding.label}”</h1>
        <StartUnbind
          binding={{ id: binding.id, label: binding.label, exchangeName: exchangeName(binding.exchange), maskedKey: binding.apiKeyMasked }}
          exchanges={supportedExchanges().filter((e) => e.id !== binding.exchange).slice(0, 60)}
        />
      </>
    );
  }

  const view = await getWizardView(client, user.id, session.id, user.sessionId);
  const step = view.step;
  const title = stepTitle(step, view.guide);
  const exchangeNumber = isExchangeStep(step) ? view.guide.steps.findIndex((s) => s.id === step) + 1 : null;
  const latestExport = step === "backup" ? (await listExportJobs(client, user.id, { bindingId: view.key.id, limit: 1 }))[0] ?? null : null;
  const remaining = step === "review" || step === "done" ? await remainingKeys(client, user.id) : [];
  const target = view.purpose?.targetExchange;

  return (
    <>
      <div className="space-y-1">
        <p className="text-sm text-slate-600"><Link href="/keys" className="underline">Keys</Link> › Unbind</p>
        <h1 className="text-2xl font-semibold">Unbind “{view.key.label}” from {view.key.exchangeName}</h1>
        <p className="font-mono text-sm text-slate-600">{view.key.maskedKey}</p>
      </div>
      <div className="grid gap-6 lg:grid-cols-[16rem_1fr]">
        <aside className="space-y-4">
          <Stepper progress={view.progress} guide={view.guide} />
          <GateList gates={view.gates} />
        </aside>
        <section aria-labelledby="step-title" className="space-y-5 rounded-lg border border-slate-200 bg-white p-6 shadow-sm" data-testid="wizard-step" data-step={step}>
          <div key={step}>
            {exchangeNumber ? <p className="text-sm text-slate-600">Step {exchangeNumber} of 7 on {view.guide.displayName}</p> : null}
            <StepHeading id="step-title">{title}</StepHeading>
          </div>
          {step === "backup" ? <BackupStep view={view} latestExport={latestExport ? exportJobJson(latestExport) : null} /> : null}
          {step === "impact" ? <ImpactStep view={view} /> : null}
          {step === "security" ? <SecurityStep view={view} totpEnabled={user.totpEnabled} /> : null}
          {step === "notify" ? <NotifyStep view={view} /> : null}
          {isExchangeStep(step) && step !== "confirm" ? <ExchangeStep view={view} step={step} /> : null}
          {step === "confirm" ? <ConfirmStep view={view} totpEnabled={user.totpEnabled} /> : null}
          {step === "review" || step === "done" ? (
            <ReviewStep view={view} remaining={remaining} transferExchangeName={target ? exchangeName(target) : null} />
          ) : null}
          {view.status === "ACTIVE" ? <WizardNav view={view} totpEnabled={user.totpEnabled} /> : null}
        </section>
      </div>
    </>
  );
}
