-- Sessions carry a credential version (raised to end every other session), and a
-- re-authentication belongs to the session that gave it. Dropping User.reauthenticatedAt ends
-- at most five minutes of open re-authentications: those users confirm their password again.
-- AlterTable
ALTER TABLE "User" DROP COLUMN "reauthenticatedAt",
ADD COLUMN     "credentialChangedBySid" TEXT,
ADD COLUMN     "credentialVersion" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "ReauthGrant" (
    "userId" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "grantedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReauthGrant_pkey" PRIMARY KEY ("userId","sessionId")
);

-- AddForeignKey
ALTER TABLE "ReauthGrant" ADD CONSTRAINT "ReauthGrant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
