-- DropIndex
DROP INDEX "AuditEvent_userId_createdAt_idx";

-- CreateIndex
CREATE INDEX "AuditEvent_userId_createdAt_id_idx" ON "AuditEvent"("userId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_userId_bindingId_createdAt_id_idx" ON "AuditEvent"("userId", "bindingId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_userId_type_createdAt_id_idx" ON "AuditEvent"("userId", "type", "createdAt", "id");

