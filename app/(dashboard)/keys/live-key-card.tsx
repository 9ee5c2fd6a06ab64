import { db } from "@/lib/db";
import { keyView } from "@/lib/keys/key-views";
import { KeyCard } from "./key-card";

// Streams in on its own (inside a Suspense boundary), so a slow exchange delays only its cards.
export async function LiveKeyCard({ userId, bindingId }: { userId: string; bindingId: string }) {
  return <KeyCard view={await keyView(db(), userId, bindingId)} />;
}
