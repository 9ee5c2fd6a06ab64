import { db } from "@/lib/db";
import { keyViewOf } from "@/lib/keys/key-views";
import type { BindingRow } from "@/lib/keys/list-keys";
import { KeyCard } from "./key-card";

// Streams in on its own (inside a Suspense boundary), so a slow exchange delays only its cards.
// The page hands over the binding it listed (one query for every card, not one per card); the
// card reads it again only when its live check refreshed the stored snapshot (key-views.ts).
export async function LiveKeyCard({ userId, binding }: { userId: string; binding: BindingRow }) {
  return <KeyCard view={await keyViewOf(db(), userId, binding)} />;
}
