import "server-only";
import pg from "pg";
import type { Db } from "@/lib/db";
import type { CurrentUser } from "./current-user";
import { loadSessionUser, type SessionClaims } from "./session-user";

// What a session token stands for (session-user.ts), kept in this process instead of asked of
// Postgres on every request, and forgotten the moment Postgres says a fact behind it changed.
//
// The credential version is still checked on every request: against the cached row, which is
// exactly as fresh as Postgres's, because triggers (migration 20261201165000_session_change_
// notify) NOTIFY the user's id on "myits_session_user" whenever the user's session facts change
// (a credential version raised by "sign out everywhere", a password change or TOTP on or off;
// the email, name, TOTP state; a re-authentication; the account removed), and every process
// LISTENs on its own connection. Postgres delivers a notification to every listener when the
// changing transaction commits, so a sign-out everywhere reaches every process at once; the
// process that made the change also forgets its own entries right after (forget()).
//
// The cache is only trusted while the listener is connected and listening: before the first
// LISTEN is confirmed, and from the moment that connection fails until a new one listens again
// (when everything cached is dropped, since notifications may have been missed), every request
// reads Postgres as before. A read that raced a notification (started before it arrived,
// answered after) is used for its request but not kept. Entries also expire after ttlMs, and the
// cache holds at most maxEntries (oldest dropped first), so a forgotten case costs at most that.

export const SESSION_USER_CHANNEL = "myits_session_user";

export interface SessionUserCacheOptions {
  /** Postgres URL for the listening connection (the Prisma client serves the reads). */
  connectionString: string;
  ttlMs?: number;
  maxEntries?: number;
  /** Wait before reconnecting a lost listener (doubles up to 30 s). */
  reconnectMs?: number;
}

export interface SessionUserCache {
  load(client: Db, claims: SessionClaims): Promise<CurrentUser | null>;
  /** Drops every cached entry of the user (also done for every notification). */
  forget(userId: string): void;
  /** Resolves once the listener is listening (the cache is in use); for tests and start-up. */
  ready(): Promise<void>;
  /** Resolves on the next notification this process receives; for tests. */
  nextNotification(): Promise<string>;
  readonly listening: boolean;
  close(): Promise<void>;
}

interface Entry {
  user: CurrentUser | null;
  expires: number;
}

export function createSessionUserCache(options: SessionUserCacheOptions): SessionUserCache {
  const ttlMs = options.ttlMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const baseReconnectMs = options.reconnectMs ?? 1_000;
  /** userId -> (session key -> entry) */
  const entries = new Map<string, Map<string, Entry>>();
  let size = 0;
  /** Raised by every notification and every listener change: a read that saw it move is not kept. */
  let epoch = 0;
  let listening = false;
  let closed = false;
  let listener: pg.Client | undefined;
  let reconnectMs = baseReconnectMs;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let readyWaiters: (() => void)[] = [];
  let notificationWaiters: ((userId: string) => void)[] = [];

  const dropAll = () => {
    entries.clear();
    size = 0;
    epoch++;
  };
  const forget = (userId: string) => {
    epoch++;
    const own = entries.get(userId);
    if (own) {
      size -= own.size;
      entries.delete(userId);
    }
  };

  const connect = async () => {
    if (closed) return;
    const client = new pg.Client({ connectionString: options.connectionString, application_name: "myits-session-listener" });
    listener = client;
    const lost = () => {
      if (listener !== client) return;
      listener = undefined;
      listening = false;
      dropAll();
      client.removeAllListeners("notification");
      void client.end().catch(() => {});
      if (closed) return;
      reconnectTimer = setTimeout(() => void connect(), reconnectMs);
      reconnectTimer.unref();
      reconnectMs = Math.min(reconnectMs * 2, 30_000);
    };
    client.on("error", lost);
    client.on("end", lost);
    client.on("notification", (message) => {
      if (message.channel !== SESSION_USER_CHANNEL) return;
      const userId = message.payload ?? "";
      // An empty payload (a TRUNCATE) means anyone's facts may have changed.
      if (userId === "") dropAll();
      else forget(userId);
      const waiters = notificationWaiters;
      notificationWaiters = [];
      for (const wake of waiters) wake(userId);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${SESSION_USER_CHANNEL}`);
    } catch {
      lost();
      return;
    }
    if (listener !== client || closed) return;
    // Anything cached before now may have missed a notification.
    dropAll();
    listening = true;
    reconnectMs = baseReconnectMs;
    const waiters = readyWaiters;
    readyWaiters = [];
    for (const wake of waiters) wake();
  };
  void connect();

  return {
    get listening() {
      return listening;
    },
    forget,
    ready: () => (listening ? Promise.resolve() : new Promise<void>((resolve) => readyWaiters.push(resolve))),
    nextNotification: () => new Promise<string>((resolve) => notificationWaiters.push(resolve)),
    async load(client, claims) {
      const { userId, sessionId, credentialVersion } = claims;
      if (!userId || !sessionId) return null;
      const key = `${sessionId}\u0000${credentialVersion ?? ""}`;
      const hit = entries.get(userId)?.get(key);
      if (listening && hit && hit.expires > Date.now()) return hit.user;
      const seen = epoch;
      const user = await loadSessionUser(client, claims);
      if (listening && epoch === seen) {
        let own = entries.get(userId);
        if (!own) entries.set(userId, (own = new Map()));
        if (!own.has(key)) size++;
        own.set(key, { user, expires: Date.now() + ttlMs });
        while (size > maxEntries) {
          const [oldestUser, oldest] = entries.entries().next().value as [string, Map<string, Entry>];
          const [firstKey] = oldest.keys();
          oldest.delete(firstKey!);
          size--;
          if (oldest.size === 0) entries.delete(oldestUser);
        }
      }
      return user;
    },
    async close() {
      closed = true;
      listening = false;
      clearTimeout(reconnectTimer);
      const client = listener;
      listener = undefined;
      dropAll();
      await client?.end().catch(() => {});
    },
  };
}

const globalForSessions = globalThis as unknown as { myitsSessionUsers?: SessionUserCache };

/** The process's cache (one listening connection per process), made on first use. */
export function sharedSessionUsers(connectionString: string): SessionUserCache {
  globalForSessions.myitsSessionUsers ??= createSessionUserCache({ connectionString });
  return globalForSessions.myitsSessionUsers;
}

/**
 * Called by whoever changed a user's session facts, once the change has committed: this process
 * forgets them at once, without waiting for its own notification (which every other process
 * receives as well). A no-op where no cache runs (tests calling lib functions, scripts).
 */
export function forgetSessionUser(userId: string): void {
  globalForSessions.myitsSessionUsers?.forget(userId);
}
