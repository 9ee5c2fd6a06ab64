import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { authenticate } from "@/lib/auth/authenticate";
import { passwordHashing } from "@/lib/auth/password";
import { requestMetaFrom } from "@/lib/auth/request-meta";
import { signInSchema } from "@/lib/auth/schemas";
import { signInAttempts } from "@/lib/auth/sign-in-attempts";
import { db } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { throttle } from "@/lib/http/throttle";
import { authConfig } from "./auth.config";

// The refusal code travels to the sign-in form (and to the redirect URL of the plain HTTP
// endpoint), so it names only what the user can act on, never which part was wrong.
class SignInRefused extends CredentialsSignin {
  constructor(code: string) {
    super(code);
    this.code = code;
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  logger: {
    // A refused sign-in is an expected outcome, already recorded in the audit log: no stack trace.
    error(error) {
      if (error instanceof CredentialsSignin) return;
      console.error("[auth]", error);
    },
  },
  providers: [
    Credentials({
      credentials: { email: {}, password: {}, code: {} },
      async authorize(credentials, request) {
        const parsed = signInSchema.safeParse(credentials);
        if (!parsed.success) throw new SignInRefused("invalid_credentials");
        const meta = requestMetaFrom(request.headers);
        try {
          // At the bound of attempts or password checks: refused before any query, the throttle's included.
          passwordHashing.assertRoom();
          return await signInAttempts.run(async () => {
            await throttle("signIn", meta.ip);
            const result = await authenticate(db(), parsed.data, meta);
            if (!result.ok) throw new SignInRefused(result.reason);
            return result.user;
          });
        } catch (error) {
          // Too many requests from this address, or too many password checks at once.
          if (isAppError(error) && error.code === "RATE_LIMITED") throw new SignInRefused("rate_limited");
          if (isAppError(error) && error.code === "BUSY") throw new SignInRefused("busy");
          throw error;
        }
      },
    }),
  ],
});
