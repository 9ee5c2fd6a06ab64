// How long a re-authentication counts for destructive steps. Pure, so the wizard's gates (and
// their unit tests) can judge it without a database.

export const REAUTH_WINDOW_MS = 5 * 60 * 1000;

export function reauthValid(reauthenticatedAt: Date | null, now = new Date()): boolean {
  if (!reauthenticatedAt) return false;
  const age = now.getTime() - reauthenticatedAt.getTime();
  return age >= 0 && age <= REAUTH_WINDOW_MS;
}

export function reauthValidUntil(reauthenticatedAt: Date | null, now = new Date()): Date | null {
  return reauthValid(reauthenticatedAt, now) ? new Date(reauthenticatedAt!.getTime() + REAUTH_WINDOW_MS) : null;
}
