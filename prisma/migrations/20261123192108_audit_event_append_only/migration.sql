-- AuditEvent is append-only: the evidence of what happened to a key (binding, backup,
-- unbind, crypto-shredding) must not be rewritten or erased by the application, a bug or a
-- hand-typed query. Rows can only be inserted. Prisma does not model triggers, so the drift
-- check (npm run db:check) ignores these objects.

CREATE FUNCTION "audit_event_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Record a new event instead of changing or removing an old one.';
END;
$$;

-- Row-level: every UPDATE and DELETE, whatever the WHERE clause.
CREATE TRIGGER "AuditEvent_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_refuse_change"();

-- TRUNCATE bypasses row triggers; a statement-level trigger catches it.
CREATE TRIGGER "AuditEvent_no_truncate"
  BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_refuse_change"();
