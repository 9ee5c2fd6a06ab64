-- CreateTable
CREATE TABLE "UnbindWatch" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "bindingId" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "exchange" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "nextCheckAt" TIMESTAMP(3) NOT NULL,
    "lastCheckedAt" TIMESTAMP(3),
    "lastOutcome" TEXT,
    "checks" INTEGER NOT NULL DEFAULT 0,
    "stillAnsweringAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "endReason" TEXT,

    CONSTRAINT "UnbindWatch_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "UnbindWatch_bindingId_key" ON "UnbindWatch"("bindingId");

-- CreateIndex
CREATE UNIQUE INDEX "UnbindWatch_sessionId_key" ON "UnbindWatch"("sessionId");

-- CreateIndex
CREATE INDEX "UnbindWatch_endedAt_nextCheckAt_idx" ON "UnbindWatch"("endedAt", "nextCheckAt");

-- AddForeignKey
ALTER TABLE "UnbindWatch" ADD CONSTRAINT "UnbindWatch_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UnbindWatch" ADD CONSTRAINT "UnbindWatch_bindingId_fkey" FOREIGN KEY ("bindingId") REFERENCES "ExchangeBinding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

