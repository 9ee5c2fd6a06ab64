"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";

// Restores a backup archive into one of the user's keys. The server verifies every checksum
// first and answers with a clear refusal for a tampered or truncated file.

export function RestoreForm({ keys }: { keys: Array<{ id: string; label: string; exchange: string }> }) {
  const router = useRouter();
  const [state, setState] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const bindingId = String(form.get("bindingId") ?? "");
    setBusy(true);
    setState(null);
    try {
      const response = await fetch(`/api/keys/${bindingId}/restore`, { method: "POST", body: form });
      const body = (await response.json()) as { restored?: { rows: number; inserted: number; alreadyPresent: number }; error?: { message: string } };
      if (!response.ok || !body.restored) throw new Error(body.error?.message ?? `The server answered ${response.status}.`);
      const { rows, inserted, alreadyPresent } = body.restored;
      setState({ tone: "ok", text: `Verified and restored: ${rows} trades in the archive, ${inserted} added, ${alreadyPresent} already here.` });
      router.refresh();
    } catch (error) {
      setState({ tone: "error", text: error instanceof Error ? error.message : "The archive could not be restored." });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-3" data-testid="restore-form">
      <div className="flex flex-wrap items-end gap-4">
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">Restore into</span>
          <select name="bindingId" required className="rounded-md border border-slate-300 px-3 py-2">
            {keys.map((key) => (
              <option key={key.id} value={key.id}>{key.label} ({key.exchange})</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">Backup archive (.zip)</span>
          <input type="file" name="archive" accept=".zip,application/zip" required className="text-sm" />
        </label>
        <Button type="submit" variant="secondary" disabled={busy}>{busy ? "Verifying…" : "Verify and restore"}</Button>
      </div>
      {state ? (
        <p role={state.tone === "error" ? "alert" : "status"} data-testid="restore-result"
          className={`text-sm ${state.tone === "error" ? "text-red-700" : "text-emerald-800"}`}>{state.text}</p>
      ) : null}
    </form>
  );
}
