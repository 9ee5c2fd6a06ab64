#!/usr/bin/env node
// A stand-in for Prisma's native `schema-engine` binary.
//
// Why: the Prisma 7 CLI downloads a native schema engine before every command, and our
// machines cannot reach Prisma's download host. The same engine ships as WebAssembly inside
// the installed CLI (node_modules/prisma/build/schema_engine_bg.wasm), and the CLI runs any
// executable named by PRISMA_SCHEMA_ENGINE_BINARY (set in prisma.config.ts). This script
// speaks the CLI's side of the protocol and hands each call to the WebAssembly engine, which
// reaches Postgres through @prisma/adapter-pg. docs/architecture.md says how and why.
//
// The protocol is internal to Prisma, so the Prisma packages are pinned to exact versions and
// tests/integration/migrations.test.ts runs the real CLI through this script.
//
// Invocations:
//   schema-engine.mjs --version
//   schema-engine.mjs --datasource <json> cli can-connect-to-database | create-database
//   schema-engine.mjs [--datamodels <file>]... [--datasource <json>]
//       then JSON-RPC 2.0: one request per line on stdin, one response per line on stdout,
//       logs as JSON lines on stderr.

import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";

const require = createRequire(import.meta.url);

// pg is CommonJS; pg-connection-string is pg's own dependency, resolved from pg's location.
const pg = require("pg");
const parseConnectionString = createRequire(require.resolve("pg"))("pg-connection-string");

// ---------------------------------------------------------------------------------------------
// Command line

function parseArguments(argv) {
  const options = { datamodels: [], datasource: {}, cliCommand: null, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--version" || arg === "-V") options.version = true;
    else if (arg === "--datamodels") options.datamodels.push(argv[++i]);
    else if (arg === "--datasource") options.datasource = JSON.parse(argv[++i] ?? "{}");
    else if (arg === "cli") options.cliCommand = argv[++i] ?? "";
    // --enabled-preview-features and --extension-types take a value we have no use for.
    else if (arg === "--enabled-preview-features" || arg === "--extension-types") i++;
  }
  return options;
}

// ---------------------------------------------------------------------------------------------
// Logging: the CLI reads stderr as JSON lines shaped like the native engine's tracing output.

function logLine(level, message, extraFields = {}) {
  const line = {
    timestamp: new Date().toISOString(),
    level,
    fields: { message, ...extraFields },
    target: "schema_engine::logger",
  };
  process.stderr.write(`${JSON.stringify(line)}\n`);
}

// ---------------------------------------------------------------------------------------------
// Connection settings

/** Discrete pg connection fields for a postgres:// URL, plus the Prisma `schema` parameter. */
function connectionConfig(url) {
  const { schema, ...config } = parseConnectionString(url);
  // pg-connection-string keeps every query parameter; drop the Prisma-only ones.
  delete config.connection_limit;
  delete config.pool_timeout;
  delete config.connect_timeout;
  if (schema) config.options = `${config.options ?? ""} -c search_path="${schema}"`.trim();
  return { config, schema: schema || undefined };
}

function describeServer(config) {
  return `${config.host ?? "localhost"}:${config.port ?? 5432}`;
}

function quoteIdent(name) {
  return `"${String(name).replaceAll('"', '""')}"`;
}

/** Runs one statement on a short-lived connection. */
async function runAdminStatement(config, sql) {
  const client = new pg.Client(config);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Maps a pg connection error to the Prisma error code and message the CLI expects. */
function connectionErrorToPrisma(error, config) {
  const server = describeServer(config);
  switch (error?.code) {
    case "3D000":
      return { code: "P1003", message: `Database \`${config.database}\` does not exist on the database server at \`${server}\`.` };
    case "28P01":
    case "28000":
      return {
        code: "P1000",
        message: `Authentication failed against database server at \`${config.host}\`, the provided database credentials for \`${config.user}\` are not valid.\n\nPlease make sure to provide valid database credentials for the database server at \`${config.host}\`.`,
      };
    case "ECONNREFUSED":
    case "ENOTFOUND":
    case "EHOSTUNREACH":
    case "ETIMEDOUT":
      return {
        code: "P1001",
        message: `Can't reach database server at \`${server}\`\n\nPlease make sure your database server is running at \`${server}\`.`,
      };
    case "42P04":
      return { code: "P1009", message: `Database \`${config.database}\` already exists on the database server at \`${server}\`` };
    default:
      return { code: undefined, message: error?.message ?? String(error) };
  }
}

// ---------------------------------------------------------------------------------------------
// `cli` subcommands: answered with pg directly, no engine needed. The CLI skips the first
// stderr line and parses the others as JSON, looking for an ERROR with `error_code`.

async function runCliCommand(command, datasource) {
  logLine("INFO", `schema-engine stand-in: cli ${command}`);
  if (!datasource.url) {
    logLine("ERROR", "No datasource URL was given (set DATABASE_URL).");
    return 1;
  }
  const { config } = connectionConfig(datasource.url);
  try {
    if (command === "can-connect-to-database") {
      const client = new pg.Client(config);
      await client.connect();
      await client.end();
    } else if (command === "create-database") {
      await createDatabase(config);
    } else {
      logLine("ERROR", `Unknown cli command: ${command}`);
      return 1;
    }
    return 0;
  } catch (error) {
    const { code, message } = connectionErrorToPrisma(error, config);
    logLine("ERROR", message, code ? { error_code: code } : {});
    return 1;
  }
}

/** Creates config.database, connecting to a maintenance database of the same server. */
async function createDatabase(config) {
  const statement = `CREATE DATABASE ${quoteIdent(config.database)}`;
  try {
    await runAdminStatement({ ...config, database: "postgres" }, statement);
  } catch (error) {
    // Some servers have no `postgres` database; template1 always exists.
    if (error?.code !== "3D000") throw error;
    await runAdminStatement({ ...config, database: "template1" }, statement);
  }
}

// ---------------------------------------------------------------------------------------------
// Loading the WebAssembly engine

async function loadWasmEngine() {
  // The glue's package index imports a .wasm file, which Node cannot load: import the glue file.
  const glue = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  // The wasm inside the CLI package is the engine build of the very CLI we serve.
  const wasmPath = join(dirname(require.resolve("prisma/package.json")), "build", "schema_engine_bg.wasm");
  const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), { "./schema_engine_bg.js": glue });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return glue;
}

// Without this registry a Rust panic inside the wasm loses its message.
const panicRegistry = { lastMessage: null, set_message(message) { this.lastMessage = message; } };
globalThis.PRISMA_WASM_PANIC_REGISTRY = panicRegistry;

// ---------------------------------------------------------------------------------------------
// The driver adapter factory handed to the engine: @prisma/adapter-pg with two bugs fixed.

/**
 * @prisma/adapter-pg 7.10.1 cannot map Postgres's internal `"char"` type (OID 18), which the
 * engine reads from catalog columns such as pg_class.relkind and pg_constraint.contype, and
 * fails with "Column type 'char' could not be deserialized". We report those columns as the
 * Character column type, parsed as text (reporting them as Text makes `db pull` panic).
 */
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;
let characterColumnType = 6; // ColumnTypeEnum.Character; confirmed at startup below

function withCharColumnsFixed(queryable) {
  const originalQueryRaw = queryable.queryRaw;
  queryable.queryRaw = async function queryRaw(query) {
    const result = await this.performIO(query);
    const charColumns = [];
    const fields = result.fields.map((field, index) => {
      if (field.dataTypeID !== PG_CHAR_OID) return field;
      charColumns.push(index);
      return { ...field, dataTypeID: PG_TEXT_OID };
    });
    if (charColumns.length === 0) {
      // Let the adapter do its own conversion on the result we already fetched.
      return originalQueryRaw.call(Object.create(this, { performIO: { value: async () => result } }), query);
    }
    const patched = { ...result, fields };
    const converted = await originalQueryRaw.call(Object.create(this, { performIO: { value: async () => patched } }), query);
    for (const index of charColumns) converted.columnTypes[index] = characterColumnType;
    return converted;
  };
  // Transactions are separate queryables: fix them as well.
  if (typeof queryable.startTransaction === "function") {
    const originalStart = queryable.startTransaction;
    queryable.startTransaction = async function startTransaction(...args) {
      return withCharColumnsFixed(await originalStart.apply(this, args));
    };
  }
  return queryable;
}

/**
 * @prisma/adapter-pg's executeScript splits a script on every ";" and runs the pieces one by
 * one, which breaks any migration containing a function body (PL/pgSQL is full of ";"). The
 * simple query protocol runs a multi-statement script as one unit, as the native engine does.
 */
function withWholeScripts(adapter) {
  adapter.executeScript = async function executeScript(script) {
    try {
      await this.underlyingDriver().query(script);
    } catch (error) {
      this.onError(error); // converts to the adapter's error type and throws
    }
  };
  return adapter;
}

const NO_URL_MESSAGE = "No datasource URL was given: set DATABASE_URL (see prisma.config.ts).";

/**
 * The factory the engine uses for the main and the shadow database.
 *
 * The second bug: PrismaPg's connectToShadowDb(), configured with a connection string, points
 * its "shadow" pool at the main database (the string overrides `database`) and drops the
 * shadow database before closing that pool. Here the temporary shadow database is created
 * and dropped by this script, and every pool gets discrete connection fields.
 */
class MigrationAdapterFactory {
  provider = "postgres";
  adapterName = "@prisma/adapter-pg";

  constructor({ PrismaPg, url, shadowDatabaseUrl }) {
    this.PrismaPg = PrismaPg;
    this.main = url ? connectionConfig(url) : null;
    this.shadow = shadowDatabaseUrl ? connectionConfig(shadowDatabaseUrl) : null;
    this.openAdapters = new Set();
  }

  async connect() {
    // The wasm engine connects as soon as it starts, so every command needs a URL (even a
    // diff between a schema file and an empty schema, which the native engine does offline).
    if (!this.main) throw new Error(NO_URL_MESSAGE);
    return this.#open(this.main.config, this.main.schema);
  }

  async connectToShadowDb() {
    // A shadow database named in the config (shadowDatabaseUrl) is emptied before use, as the
    // native engine does; the wasm engine would replay the migrations over the last run's.
    if (this.shadow) {
      const schema = quoteIdent(this.shadow.schema ?? "public");
      await runAdminStatement(this.shadow.config, `DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema};`);
      return this.#open(this.shadow.config, this.shadow.schema);
    }
    if (!this.main) throw new Error(NO_URL_MESSAGE);

    const name = `prisma_migrate_shadow_db_${randomUUID().replaceAll("-", "")}`;
    await runAdminStatement(this.main.config, `CREATE DATABASE ${quoteIdent(name)}`);
    const dropShadow = () =>
      runAdminStatement(this.main.config, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    try {
      // Close the pool first, then drop the database it was connected to.
      return await this.#open({ ...this.main.config, database: name }, this.main.schema, dropShadow);
    } catch (error) {
      await dropShadow().catch(() => {});
      throw error;
    }
  }

  async #open(config, schema, afterDispose) {
    const factory = new this.PrismaPg(config, schema ? { schema } : undefined);
    const adapter = withWholeScripts(withCharColumnsFixed(await factory.connect()));
    const dispose = adapter.dispose.bind(adapter);
    let disposed = null;
    adapter.dispose = () => {
      // Idempotent: the engine disposes shadow adapters itself; shutdown disposes the rest.
      disposed ??= (async () => {
        this.openAdapters.delete(adapter);
        await dispose();
        await afterDispose?.();
      })();
      return disposed;
    };
    this.openAdapters.add(adapter);
    return adapter;
  }

  async disposeAll() {
    await Promise.allSettled([...this.openAdapters].map((adapter) => adapter.dispose()));
  }
}

// ---------------------------------------------------------------------------------------------
// JSON-RPC server

const RPC_ERROR_CODE = 4466; // what the native engine uses for "check the data field"

class RpcServer {
  constructor({ glue, engineReady, factory, errorRegistry }) {
    this.glue = glue;
    this.engineReady = engineReady;
    this.factory = factory;
    this.errorRegistry = errorRegistry;
    this.queue = Promise.resolve();
    this.nextOwnRequestId = 1;
    this.pendingOwnRequests = new Map();
  }

  send(message) {
    process.stdout.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);
  }

  /** A line from the CLI: either a request, or the CLI's answer to one of our requests. */
  receive(line) {
    if (!line.trim()) return;
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      this.send({ id: null, error: { code: -32700, message: "Parse error" } });
      return;
    }
    if (message.method === undefined) {
      this.pendingOwnRequests.get(message.id)?.();
      this.pendingOwnRequests.delete(message.id);
      return;
    }
    // One request at a time, in order, as the native engine does.
    this.queue = this.queue.then(() => this.handle(message));
  }

  async handle({ id, method, params }) {
    try {
      const result = await this.call(method, params ?? {});
      this.send({ id, result: result ?? null });
    } catch (error) {
      this.send({ id, error: this.toRpcError(error) });
      if (error instanceof WebAssembly.RuntimeError) {
        // A panicked wasm instance is unusable: exit like the native engine does on a panic.
        await this.factory.disposeAll();
        process.exit(101);
      }
    }
  }

  async call(method, params) {
    const engine = await this.engineReady;
    switch (method) {
      // The CLI's name for the engine's `version`.
      case "getDatabaseVersion":
        return engine.version(Object.keys(params).length ? params : undefined);

      // The engine returns the diff in `stdout`; the CLI expects it as a `print` request.
      case "diff": {
        const { stdout, ...rest } = await engine.diff(params);
        if (stdout) await this.print(stdout.endsWith("\n") ? stdout.slice(0, -1) : stdout);
        return rest;
      }

      // evaluateDataLoss has no shadow database of its own: it reads the schema of the
      // migrations from a cache that devDiagnostic fills (using the shadow database). When
      // the cache is cold (a fresh database, or migrations applied since), it fails with
      // "shadow DB must be provided through an external factory": warm it and retry once.
      case "evaluateDataLoss":
        try {
          return await engine.evaluateDataLoss(params);
        } catch (error) {
          if (!/shadow DB must be provided/i.test(error?.message ?? "")) throw error;
          await engine.devDiagnostic({ migrationsList: params.migrationsList, filters: params.filters });
          return engine.evaluateDataLoss(params);
        }

      case "applyMigrations":
      case "createMigration":
      case "dbExecute":
      case "devDiagnostic":
      case "diagnoseMigrationHistory":
      case "ensureConnectionValidity":
      case "introspect":
      case "introspectSql":
      case "markMigrationApplied":
      case "markMigrationRolledBack":
      case "reset":
      case "schemaPush":
        return engine[method](params);

      case "debugPanic":
        return engine.debugPanic();

      default:
        throw Object.assign(new Error(`Method not supported by the wasm schema engine: ${method}`), { rpcCode: -32601 });
    }
  }

  /** Asks the CLI to print `content` on its stdout, and waits for its acknowledgement. */
  print(content) {
    const id = `print-${this.nextOwnRequestId++}`;
    return new Promise((resolve) => {
      this.pendingOwnRequests.set(id, resolve);
      this.send({ id, method: "print", params: { content } });
    });
  }

  toRpcError(error) {
    if (error?.rpcCode) return { code: error.rpcCode, message: error.message };
    if (error instanceof WebAssembly.RuntimeError) {
      const message = panicRegistry.lastMessage ?? error.message;
      return {
        code: RPC_ERROR_CODE,
        message,
        data: { is_panic: true, message, backtrace: error.stack, error: { message } },
      };
    }
    // Errors thrown by JavaScript inside the adapter reach the engine only as a registry id
    // ("External error id#0"): put the original message back.
    const message = (error?.message ?? String(error)).replace(/External error id#(\d+)/g, (text, id) => {
      const entry = this.errorRegistry?.consumeError(Number(id));
      return entry ? (entry.error?.message ?? String(entry.error)) : text;
    });
    const data = { is_panic: false, message };
    if (typeof error?.code === "string") data.error_code = error.code;
    if (error?.meta !== undefined) data.meta = error.meta;
    return { code: RPC_ERROR_CODE, message: "An error happened. Check the data field for details.", data };
  }
}

async function runRpcServer({ datamodels, datasource }) {
  const glue = await loadWasmEngine();
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } = await import("@prisma/driver-adapter-utils");
  characterColumnType = ColumnTypeEnum.Character;

  const factory = new MigrationAdapterFactory({ PrismaPg, ...datasource });
  const boundFactory = bindMigrationAwareSqlAdapterFactory(factory);
  const files = datamodels.map((path) => [path, readFileSync(path, "utf8")]);
  const forwardLog = (line) => process.stderr.write(line.endsWith("\n") ? line : `${line}\n`);

  // The engine connects at once; a failure is reported on each request, not as a crash.
  const engineReady = glue.SchemaEngine.new(
    { datamodels: files.length > 0 ? files : undefined },
    forwardLog,
    boundFactory,
  );
  engineReady.catch(() => {});

  const server = new RpcServer({ glue, engineReady, factory, errorRegistry: boundFactory.errorRegistry });
  const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
  input.on("line", (line) => server.receive(line));
  input.on("close", async () => {
    // The CLI ends stdin to stop the engine: finish the work, close pools, drop shadow dbs.
    await server.queue;
    await factory.disposeAll();
    process.exit(0);
  });
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const options = parseArguments(process.argv.slice(2));
  if (options.version) {
    const glue = await loadWasmEngine();
    process.stdout.write(`schema-engine-cli ${glue.version()}\n`);
    return 0;
  }
  if (options.cliCommand !== null) return runCliCommand(options.cliCommand, options.datasource);
  await runRpcServer(options);
  return undefined; // keeps running until stdin closes
}

main().then(
  (exitCode) => {
    if (exitCode !== undefined) process.exit(exitCode);
  },
  (error) => {
    logLine("ERROR", error?.stack ?? String(error));
    process.exit(1);
  },
);
