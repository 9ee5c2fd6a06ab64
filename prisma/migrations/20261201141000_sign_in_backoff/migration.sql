-- Sign-in backoff per (email, client) instead of a per-email lock (lib/auth/lockout.ts).
-- AlterTable
ALTER TABLE "LoginAttempt" ADD COLUMN     "client" TEXT;

-- CreateTable
CREATE TABLE "SignInBackoff" (
    "email" TEXT NOT NULL,
    "client" TEXT NOT NULL,
    "failures" INTEGER NOT NULL,
    "lastAttemptAt" TIMESTAMP(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "SignInBackoff_pkey" PRIMARY KEY ("email","client")
);
