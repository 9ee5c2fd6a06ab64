-- Every web process keeps what a session stands for (lib/auth/session-user-cache.ts) instead of
-- asking Postgres on each request, and forgets a user's entries the moment Postgres says one of
-- the facts behind them changed: these triggers send the user's id on the channel
-- "myits_session_user" whenever such a fact changes, whoever changes it (the app, a script, a
-- hand-typed query). NOTIFY is delivered when the transaction commits, to every listening
-- connection of every process. Prisma does not model triggers, so the drift check
-- (npm run db:check) ignores these objects.

-- One function per table: a trigger function cannot name a column its table lacks.
CREATE FUNCTION "user_session_facts_changed"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('myits_session_user', OLD."id");
    RETURN OLD;
  END IF;
  PERFORM pg_notify('myits_session_user', NEW."id");
  IF OLD."id" <> NEW."id" THEN
    PERFORM pg_notify('myits_session_user', OLD."id");
  END IF;
  RETURN NEW;
END;
$$;

CREATE FUNCTION "reauth_grant_changed"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM pg_notify('myits_session_user', OLD."userId");
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM pg_notify('myits_session_user', NEW."userId");
  END IF;
  RETURN NULL;
END;
$$;

-- The columns a session's user is made of (lib/auth/session-user.ts); a sign-in's own writes
-- (totpLastStep, updatedAt alone) do not notify.
CREATE TRIGGER "User_session_facts_changed"
  AFTER UPDATE OF "id", "email", "name", "totpEnabledAt", "credentialVersion", "credentialChangedBySid" ON "User"
  FOR EACH ROW
  WHEN (OLD."id" IS DISTINCT FROM NEW."id"
     OR OLD."email" IS DISTINCT FROM NEW."email"
     OR OLD."name" IS DISTINCT FROM NEW."name"
     OR OLD."totpEnabledAt" IS DISTINCT FROM NEW."totpEnabledAt"
     OR OLD."credentialVersion" IS DISTINCT FROM NEW."credentialVersion"
     OR OLD."credentialChangedBySid" IS DISTINCT FROM NEW."credentialChangedBySid")
  EXECUTE FUNCTION "user_session_facts_changed"();

CREATE TRIGGER "User_removed"
  AFTER DELETE ON "User"
  FOR EACH ROW EXECUTE FUNCTION "user_session_facts_changed"();

-- A session's re-authentication time is part of what it stands for.
CREATE TRIGGER "ReauthGrant_changed"
  AFTER INSERT OR UPDATE OR DELETE ON "ReauthGrant"
  FOR EACH ROW EXECUTE FUNCTION "reauth_grant_changed"();

-- TRUNCATE bypasses row triggers: say that everything may have changed (an empty payload).
CREATE FUNCTION "session_users_truncated"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('myits_session_user', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER "User_truncated"
  AFTER TRUNCATE ON "User"
  FOR EACH STATEMENT EXECUTE FUNCTION "session_users_truncated"();

CREATE TRIGGER "ReauthGrant_truncated"
  AFTER TRUNCATE ON "ReauthGrant"
  FOR EACH STATEMENT EXECUTE FUNCTION "session_users_truncated"();
