-- CreateEnum
CREATE TYPE "StatementStatus" AS ENUM ('REQUESTED', 'STORED', 'FAILED', 'EXPIRED');

-- CreateTable
CREATE TABLE "ExchangeStatement" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "bindingId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "part" TEXT NOT NULL,
    "rangeFrom" TIMESTAMP(3) NOT NULL,
    "rangeTo" TIMESTAMP(3) NOT NULL,
    "status" "StatementStatus" NOT NULL DEFAULT 'REQUESTED',
    "downloadId" TEXT,
    "typicalMs" INTEGER,
    "polls" INTEGER NOT NULL DEFAULT 0,
    "fileName" TEXT,
    "sha256" TEXT,
    "sizeBytes" INTEGER,
    "content" BYTEA,
    "error" TEXT,
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "storedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ExchangeStatement_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ExchangeStatement_status_idx" ON "ExchangeStatement"("status");

-- CreateIndex
CREATE UNIQUE INDEX "ExchangeStatement_bindingId_kind_rangeFrom_rangeTo_key" ON "ExchangeStatement"("bindingId", "kind", "rangeFrom", "rangeTo");

-- AddForeignKey
ALTER TABLE "ExchangeStatement" ADD CONSTRAINT "ExchangeStatement_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExchangeStatement" ADD CONSTRAINT "ExchangeStatement_bindingId_fkey" FOREIGN KEY ("bindingId") REFERENCES "ExchangeBinding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

