-- CreateTable
CREATE TABLE "KeyCheck" (
    "id" TEXT NOT NULL,
    "bindingId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "permissions" JSONB,
    "ipRestricted" BOOLEAN,
    "expiresAt" TIMESTAMP(3),
    "explanation" TEXT,
    "checkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KeyCheck_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KeyWatchSlot" (
    "bindingId" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "leaseToken" TEXT,
    "leaseUntil" TIMESTAMP(3),

    CONSTRAINT "KeyWatchSlot_pkey" PRIMARY KEY ("bindingId")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "bindingId" TEXT,
    "kind" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "advice" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dismissedAt" TIMESTAMP(3),
    "webhookDoneAt" TIMESTAMP(3),
    "emailDoneAt" TIMESTAMP(3),
    "emailError" TEXT,
    "deliveryAttempts" INTEGER NOT NULL DEFAULT 0,
    "deliveryLeaseUntil" TIMESTAMP(3),

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "KeyCheck_bindingId_checkedAt_idx" ON "KeyCheck"("bindingId", "checkedAt");

-- CreateIndex
CREATE INDEX "KeyWatchSlot_dueAt_idx" ON "KeyWatchSlot"("dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "Alert_dedupeKey_key" ON "Alert"("dedupeKey");

-- CreateIndex
CREATE INDEX "Alert_userId_dismissedAt_idx" ON "Alert"("userId", "dismissedAt");

-- CreateIndex
CREATE INDEX "Alert_emailDoneAt_webhookDoneAt_idx" ON "Alert"("emailDoneAt", "webhookDoneAt");

-- AddForeignKey
ALTER TABLE "KeyCheck" ADD CONSTRAINT "KeyCheck_bindingId_fkey" FOREIGN KEY ("bindingId") REFERENCES "ExchangeBinding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KeyWatchSlot" ADD CONSTRAINT "KeyWatchSlot_bindingId_fkey" FOREIGN KEY ("bindingId") REFERENCES "ExchangeBinding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_bindingId_fkey" FOREIGN KEY ("bindingId") REFERENCES "ExchangeBinding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

