-- One wizard in progress per key: two tabs (or two requests racing) resume the same session
-- instead of starting a second one. Prisma does not model partial indexes, so it lives here.
CREATE UNIQUE INDEX "UnbindSession_one_active_per_binding" ON "UnbindSession"("bindingId") WHERE "status" = 'ACTIVE';
