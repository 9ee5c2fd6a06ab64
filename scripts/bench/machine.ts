import { readFileSync } from "node:fs";
import os from "node:os";
import { choosePgServer, withAdminClient } from "../../tests/support/pg-server";

// What the numbers were measured on: they mean little without it.

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  postgres: string;
  postgresKind: string;
}

function cpuModel(): string {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("model name"));
    if (line) return line.split(":").slice(1).join(":").trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? "unknown";
}

export async function describeMachine(): Promise<Machine> {
  const server = await choosePgServer({ allowRemoteDatabaseUrl: false });
  try {
    const postgres = await withAdminClient(server.adminUrl, async (client) => {
      const { rows } = await client.query<{ server_version: string }>("SHOW server_version");
      return rows[0]?.server_version ?? "unknown";
    });
    return {
      cpu: cpuModel(),
      cores: os.cpus().length,
      memoryGiB: os.totalmem() / 2 ** 30,
      node: process.version,
      postgres,
      postgresKind: server.kind === "embedded" ? "embedded (temporary)" : server.kind === "local" ? "the machine's server at 127.0.0.1:5432" : "DATABASE_URL's server",
    };
  } finally {
    await server.stop();
  }
}
