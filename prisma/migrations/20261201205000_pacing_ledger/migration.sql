-- The exchange budgets every process shares (lib/exchanges/pacing/ledger.ts).

-- CreateTable
CREATE TABLE "PacingLedger" (
    "key" TEXT NOT NULL,
    "windowStart" BIGINT NOT NULL,
    "used" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "PacingLedger_pkey" PRIMARY KEY ("key","windowStart")
);

-- Takes p_weight from the budget p_key in the window the database's clock is in, if it fits
-- under p_ceiling; returns 0 when taken, else the milliseconds until a take may succeed.
-- Within p_guard_ms of a window's boundary the weight counts in both windows next to it: the
-- exchange's clock may be on either side of it. A window with nothing taken yet admits any
-- weight (a request heavier than the budget goes alone). The rows are locked in window order
-- before the check, so concurrent takes are serialised per budget and never deadlock.
CREATE FUNCTION myits_pacing_take(p_key TEXT, p_weight INTEGER, p_ceiling INTEGER, p_window_ms BIGINT, p_guard_ms BIGINT)
RETURNS BIGINT
LANGUAGE plpgsql
AS $$
DECLARE
  t BIGINT := floor(extract(epoch FROM clock_timestamp()) * 1000)::BIGINT;
  w BIGINT := t - (t % p_window_ms);
  windows BIGINT[] := ARRAY[w];
  created INTEGER;
  refusing BIGINT;
BEGIN
  IF t - w < p_guard_ms THEN
    windows := ARRAY[w - p_window_ms, w];
  ELSIF w + p_window_ms - t <= p_guard_ms THEN
    windows := ARRAY[w, w + p_window_ms];
  END IF;
  INSERT INTO "PacingLedger" ("key", "windowStart", "used")
    SELECT p_key, x, 0 FROM unnest(windows) AS x
    ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS created = ROW_COUNT;
  IF created > 0 THEN
    DELETE FROM "PacingLedger" WHERE "key" = p_key AND "windowStart" < w - 10 * p_window_ms;
  END IF;
  PERFORM 1 FROM "PacingLedger" WHERE "key" = p_key AND "windowStart" = ANY (windows) ORDER BY "windowStart" FOR UPDATE;
  SELECT max("windowStart") INTO refusing FROM "PacingLedger"
    WHERE "key" = p_key AND "windowStart" = ANY (windows) AND "used" > 0 AND "used" + p_weight > p_ceiling;
  IF refusing IS NOT NULL THEN
    RETURN refusing + p_window_ms + p_guard_ms - t;
  END IF;
  UPDATE "PacingLedger" SET "used" = "used" + p_weight WHERE "key" = p_key AND "windowStart" = ANY (windows);
  RETURN 0;
END;
$$;
