-- rate-limiter-flexible's RateLimiterPostgres table for the per-IP throttles (lib/http/throttle.ts).
-- CreateTable
CREATE TABLE "Throttle" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "Throttle_pkey" PRIMARY KEY ("key")
);
