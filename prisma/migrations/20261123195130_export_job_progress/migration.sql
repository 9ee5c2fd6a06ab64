-- AlterTable
ALTER TABLE "ExportJob" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "currentMarket" TEXT,
ADD COLUMN     "etaSeconds" INTEGER,
ADD COLUMN     "pagesFetched" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "progress" DOUBLE PRECISION,
ADD COLUMN     "queueJobId" TEXT,
ADD COLUMN     "tradesPerSecond" DOUBLE PRECISION;

-- At most one export of a binding waiting or running: a second "export now" (another tab,
-- another web process) finds the existing job instead of starting a parallel one. Prisma does
-- not model partial indexes.
CREATE UNIQUE INDEX "ExportJob_one_active_per_binding" ON "ExportJob"("bindingId") WHERE "status" IN ('QUEUED', 'RUNNING');
