-- Backups read a binding's trades in (tradedAt, id) order by keyset pagination. With id in
-- the index the row comparison ("tradedAt", "id") > (...) is an index condition; without it
-- every batch scanned the binding's trades from the start (quadratic in the backup's size).
DROP INDEX "TradeRecord_bindingId_tradedAt_idx";
CREATE INDEX "TradeRecord_bindingId_tradedAt_id_idx" ON "TradeRecord"("bindingId", "tradedAt", "id");
