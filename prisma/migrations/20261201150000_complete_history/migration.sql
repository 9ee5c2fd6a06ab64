-- Complete backups: trades of every product (spot, margin, futures...), transfers, conversions and
-- income, each with the balance effects the reconciliation adds up; coverage notes and the
-- coverage report on the export job; whether a backup was complete, or its gaps accepted.
-- Trades stored before this migration keep effects '{}' (unknown): their reconciliation shows
-- them as differences until the binding is exported again from scratch.

-- DropIndex
DROP INDEX "TradeRecord_bindingId_market_exchangeTradeId_key";

-- AlterTable
ALTER TABLE "Backup" ADD COLUMN     "complete" BOOLEAN,
ADD COLUMN     "gapsAcceptedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "ExportJob" ADD COLUMN     "balances" JSONB,
ADD COLUMN     "coverage" JSONB,
ADD COLUMN     "coverageNotes" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "TradeRecord" ADD COLUMN     "effects" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "product" TEXT NOT NULL DEFAULT 'spot';

-- CreateTable
CREATE TABLE "Transfer" (
    "id" BIGSERIAL NOT NULL,
    "bindingId" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "exchangeId" TEXT NOT NULL,
    "asset" TEXT NOT NULL,
    "amount" TEXT NOT NULL,
    "fee" TEXT,
    "network" TEXT,
    "address" TEXT,
    "txId" TEXT,
    "status" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "effects" JSONB NOT NULL DEFAULT '{}',
    "raw" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Transfer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Conversion" (
    "id" BIGSERIAL NOT NULL,
    "bindingId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "exchangeId" TEXT NOT NULL,
    "fromAsset" TEXT NOT NULL,
    "fromAmount" TEXT NOT NULL,
    "toAsset" TEXT NOT NULL,
    "toAmount" TEXT NOT NULL,
    "fee" TEXT,
    "feeAsset" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "effects" JSONB NOT NULL DEFAULT '{}',
    "raw" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Conversion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IncomeEntry" (
    "id" BIGSERIAL NOT NULL,
    "bindingId" TEXT NOT NULL,
    "product" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "exchangeType" TEXT NOT NULL,
    "exchangeId" TEXT NOT NULL,
    "asset" TEXT NOT NULL,
    "amount" TEXT NOT NULL,
    "market" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "effects" JSONB NOT NULL DEFAULT '{}',
    "raw" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IncomeEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Transfer_bindingId_occurredAt_id_idx" ON "Transfer"("bindingId", "occurredAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Transfer_bindingId_direction_exchangeId_key" ON "Transfer"("bindingId", "direction", "exchangeId");

-- CreateIndex
CREATE INDEX "Conversion_bindingId_occurredAt_id_idx" ON "Conversion"("bindingId", "occurredAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Conversion_bindingId_kind_exchangeId_key" ON "Conversion"("bindingId", "kind", "exchangeId");

-- CreateIndex
CREATE INDEX "IncomeEntry_bindingId_occurredAt_id_idx" ON "IncomeEntry"("bindingId", "occurredAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "IncomeEntry_bindingId_product_exchangeId_key" ON "IncomeEntry"("bindingId", "product", "exchangeId");

-- CreateIndex
CREATE UNIQUE INDEX "TradeRecord_bindingId_product_market_exchangeTradeId_key" ON "TradeRecord"("bindingId", "product", "market", "exchangeTradeId");

-- AddForeignKey
ALTER TABLE "Transfer" ADD CONSTRAINT "Transfer_bindingId_fkey" FOREIGN KEY ("bindingId") REFERENCES "ExchangeBinding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Conversion" ADD CONSTRAINT "Conversion_bindingId_fkey" FOREIGN KEY ("bindingId") REFERENCES "ExchangeBinding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncomeEntry" ADD CONSTRAINT "IncomeEntry_bindingId_fkey" FOREIGN KEY ("bindingId") REFERENCES "ExchangeBinding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

