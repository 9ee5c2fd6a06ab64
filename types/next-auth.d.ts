import type { DefaultSession } from "next-auth";

declare module "next-auth" {
  interface Session {
    user: { id: string } & DefaultSession["user"];
    /** The random id of this sign-in (the JWT's `sid`): re-authentications belong to it. */
    sessionId?: string;
    /** User.credentialVersion when this session signed in. */
    credentialVersion?: number;
  }
  interface User {
    credentialVersion?: number;
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    sid?: string;
    cv?: number;
  }
}
