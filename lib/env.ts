import { isIP } from "node:net";
import { z } from "zod";

// All configuration is read here, once, through one schema: a missing or malformed variable
// stops the process with a message that names it, instead of failing later in a request.

const base64Key = z
  .string()
  .refine((value) => Buffer.from(value, "base64").length === 32, "must be 32 bytes, base64-encoded");

// "2:base64key,1:base64key": keys that decrypt older ciphertexts after a rotation.
const previousKeys = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const keys = new Map<number, string>();
    for (const entry of (value ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
      const match = /^(\d+):(.+)$/.exec(entry);
      if (!match || Buffer.from(match[2]!, "base64").length !== 32) {
        ctx.addIssue({ code: "custom", message: 'entries must look like "<version>:<32-byte base64 key>"' });
        return z.NEVER;
      }
      keys.set(Number(match[1]), match[2]!);
    }
    return keys;
  });

// "10.0.0.0/8, 127.0.0.1, ::1": the reverse proxies whose X-Forwarded-For is believed.
const trustedProxies = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const entries = (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    for (const entry of entries) {
      const [address, bits, extra] = entry.split("/");
      const version = isIP(address ?? "");
      const prefix = bits === undefined ? null : Number(bits);
      const prefixOk = prefix === null || (/^\d+$/.test(bits!) && prefix <= (version === 6 ? 128 : 32));
      if (!version || extra !== undefined || !prefixOk) {
        ctx.addIssue({ code: "custom", message: `entries must be IP addresses or CIDR ranges ("10.0.0.0/8,127.0.0.1"): "${entry}" is neither` });
        return z.NEVER;
      }
    }
    return entries;
  });

// The endpoints of each exchange (docs/architecture.md, "Endpoints"): EXCHANGE_ORIGIN_<CCXT_ID>
// replaces the scheme, host and port of the ccxt class's API URLs, EXCHANGE_SANDBOX_<CCXT_ID>
// turns on ccxt's sandbox, EXCHANGE_TIMEOUT_MS bounds every request. Their names carry the
// exchange, so they are checked by pattern, each where it is read (lib/exchanges/ccxt-client.ts)
// and all at once at start (parseEnv).

export const DEFAULT_EXCHANGE_TIMEOUT_MS = 10_000;

/** "ascendex" -> "ASCENDEX", "bit.com" -> "BIT_COM": the suffix of an exchange's variables. */
export function exchangeEnvSuffix(exchangeId: string): string {
  return exchangeId.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}

export function exchangeEnvName(prefix: "EXCHANGE_ORIGIN" | "EXCHANGE_SANDBOX", exchangeId: string): string {
  return `${prefix}_${exchangeEnvSuffix(exchangeId)}`;
}

/** "http://127.0.0.1:4010/" -> "http://127.0.0.1:4010"; anything with a path is refused. */
export function normalizeOrigin(origin: string): string {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new Error(`"${origin}" is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`"${origin}" must be http or https`);
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) {
    throw new Error(`"${origin}" must be an origin only (scheme, host, port), without a path`);
  }
  return url.origin;
}

const exchangeOrigin = z.string().transform((value, ctx) => {
  try {
    return normalizeOrigin(value.trim());
  } catch (error) {
    ctx.addIssue({ code: "custom", message: (error as Error).message });
    return z.NEVER;
  }
});
const exchangeSandbox = z
  .string()
  .transform((value) => value.trim().toLowerCase())
  .pipe(z.enum(["0", "1", "true", "false"], { error: 'must be "1" (or "true") to turn the sandbox on, "0" (or "false") to keep it off' }))
  .transform((value) => value === "1" || value === "true");
const exchangeTimeout = z.coerce.number().int().min(1).max(600_000).default(DEFAULT_EXCHANGE_TIMEOUT_MS);

const EXCHANGE_VARIABLE = /^(EXCHANGE_ORIGIN|EXCHANGE_SANDBOX)_[A-Z0-9_]+$/;

type Problem = { name: string; text: string };

function problemsOf(name: string, error: z.ZodError, source: Record<string, string | undefined>): Problem[] {
  const missing = source[name] === undefined || source[name] === "";
  return error.issues.map((issue) => ({ name, text: missing ? `${name} is not set` : `${name} ${issue.message}` }));
}

export interface ExchangeEndpoints {
  /** The origin that replaces the exchange's API hosts; null: the exchange's own. */
  origin: string | null;
  sandbox: boolean;
  timeoutMs: number;
}

/**
 * One exchange's endpoint variables, validated. Throws an EnvError naming the variable. Unset or
 * empty variables mean the exchange's own endpoints.
 */
export function exchangeEndpoints(exchangeId: string, source: Record<string, string | undefined> = process.env): ExchangeEndpoints {
  const problems: Problem[] = [];
  const read = <T>(name: string, schema: z.ZodType<T>, fallback: T): T => {
    const raw = source[name];
    if (raw === undefined || raw.trim() === "") return fallback;
    const result = schema.safeParse(raw);
    if (result.success) return result.data;
    problems.push(...problemsOf(name, result.error, source));
    return fallback;
  };
  const origin = read<string | null>(exchangeEnvName("EXCHANGE_ORIGIN", exchangeId), exchangeOrigin, null);
  const sandbox = read(exchangeEnvName("EXCHANGE_SANDBOX", exchangeId), exchangeSandbox, false);
  const timeoutMs = read("EXCHANGE_TIMEOUT_MS", exchangeTimeout, DEFAULT_EXCHANGE_TIMEOUT_MS);
  if (problems.length > 0) failWith(problems);
  return { origin, sandbox, timeoutMs };
}

/** Every EXCHANGE_ORIGIN_* / EXCHANGE_SANDBOX_* variable set in the source, checked by its pattern. */
function exchangeVariableProblems(source: Record<string, string | undefined>): Problem[] {
  return Object.entries(source)
    .filter(([name, value]) => EXCHANGE_VARIABLE.test(name) && value !== undefined && value.trim() !== "")
    .flatMap(([name, value]) => {
      const result = (name.startsWith("EXCHANGE_ORIGIN_") ? exchangeOrigin : exchangeSandbox).safeParse(value);
      return result.success ? [] : problemsOf(name, result.error, source);
    });
}

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// connection URL" }),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters (generate one with `openssl rand -base64 32`)"),
  ENCRYPTION_KEY: base64Key,
  ENCRYPTION_KEY_VERSION: z.coerce.number().int().min(1).default(1),
  ENCRYPTION_PREVIOUS_KEYS: previousKeys,
  APP_NAME: z.string().default("MyITS"),
  /** Set by `npm run demo`: the exchanges are the local simulator, and the pages say so. */
  MYITS_DEMO: z.enum(["0", "1"]).default("0").transform((v) => v === "1"),
  SIM_ADMIN_URL: z.url().optional(),
  /** The web process runs an export worker unless this is 0 (then run `npm run worker`). */
  EXPORT_WORKER: z.enum(["0", "1"]).default("1").transform((v) => v === "1"),
  /** Exports one process runs at once. */
  EXPORT_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  /** Webhooks may go to private, loopback and link-local addresses (lib/notify/destination-policy.ts). */
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: z.enum(["0", "1"]).default("0").transform((v) => v === "1"),
  /** Proxies (addresses, CIDR ranges) whose X-Forwarded-For names the client (lib/auth/request-meta.ts). */
  TRUSTED_PROXIES: trustedProxies,
  /** Multiplies every per-IP throttle's allowance (lib/http/throttle.ts), e.g. for a test suite from one address. */
  THROTTLE_SCALE: z.coerce.number().positive().max(1000).default(1),
  /** How often the key watch re-checks every bound key (lib/watch), spread over the period. */
  KEY_WATCH_PERIOD_HOURS: z.coerce.number().min(0.01).max(24 * 31).default(24),
  /** A key older than this is due for rotation (an alert, and a reason on the review page). */
  KEY_ROTATION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Where alert emails go out (nodemailer); unset: not sent (the demo prints them to the terminal). */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" }).optional(),
  /** The From of alert emails. */
  MAIL_FROM: z.string().min(3).default("MyITS alerts <alerts@myits.local>"),
  /** Timeout of each request to an exchange; EXCHANGE_ORIGIN_* / EXCHANGE_SANDBOX_* are checked by pattern (above). */
  EXCHANGE_TIMEOUT_MS: exchangeTimeout,
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly variables: string[], message: string) {
    super(message);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  const problems: Problem[] = result.success
    ? []
    : result.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? "environment");
        const missing = source[name] === undefined || source[name] === "";
        return { name, text: missing ? `${name} is not set` : `${name} ${issue.message}` };
      });
  problems.push(...exchangeVariableProblems(source));
  if (result.success && problems.length === 0) return result.data;
  return failWith(problems);
}

function failWith(problems: Problem[]): never {
  const names = [...new Set(problems.map((p) => p.name))];
  throw new EnvError(names, `Invalid configuration:\n${problems.map((p) => `  - ${p.text}`).join("\n")}`);
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
