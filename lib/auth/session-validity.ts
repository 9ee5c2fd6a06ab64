// Whether a signed-in session still counts. A JWT cannot be recalled, so the user row carries
// a credential version: each session's token holds the version it signed in under, and raising
// the version ("sign out everywhere", a password change, TOTP on or off) makes every older token
// no session at all, on its next request.
//
// The session that raised the version stays signed in (its `sid` is recorded beside the
// version) rather than being handed a fresh token: a token refresh in Auth.js goes through the
// same `update` path a browser can call for itself, so it would have to re-read this very rule
// anyway, and a session that did the change needs no second cookie write to survive it. A later
// raise by any other session ends it like the rest. Pure, so it is unit-tested on its own.

export interface SessionToken {
  sessionId: string | undefined;
  credentialVersion: number | undefined;
}

export interface UserCredentials {
  credentialVersion: number;
  credentialChangedBySid: string | null;
}

export function sessionIsCurrent(token: SessionToken, user: UserCredentials): boolean {
  // A token from before sessions had ids and versions is no session: sign in again.
  if (!token.sessionId || token.credentialVersion === undefined) return false;
  if (token.credentialVersion === user.credentialVersion) return true;
  return user.credentialChangedBySid !== null && token.sessionId === user.credentialChangedBySid;
}
