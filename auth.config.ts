import type { NextAuthConfig } from "next-auth";
import { decodeSessionJwt, encodeSessionJwt } from "@/lib/auth/session-jwt";
import { sameOriginPath } from "@/lib/http/same-origin";

// Session and page settings shared by auth.ts. Credentials sign-in requires JWT sessions; web
// processes stay stateless, so any number can run behind a load balancer.
export const authConfig = {
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  // Auth.js's own token format, with the derived key computed once (lib/auth/session-jwt.ts).
  jwt: { encode: encodeSessionJwt, decode: decodeSessionJwt },
  pages: { signIn: "/login", error: "/login" },
  trustHost: true,
  providers: [],
  callbacks: {
    // At sign-in only (`user` is set): the user id, the credential version the session signed in
    // under, and a random session id. The token is never re-stamped later, so a stale version
    // stays stale (lib/auth/session-validity.ts).
    jwt({ token, user }) {
      if (user?.id) {
        token.sub = user.id;
        token.sid = crypto.randomUUID();
        token.cv = user.credentialVersion ?? 0;
      }
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      session.sessionId = token.sid;
      session.credentialVersion = token.cv;
      return session;
    },
    // Keep redirects on our own origin, as a path, whatever host the server saw the request
    // under; resolved with the URL parser, so "/\t/evil.example" and the like go nowhere.
    redirect({ url, baseUrl }) {
      return sameOriginPath(url, baseUrl) ?? "/";
    },
  },
} satisfies NextAuthConfig;
