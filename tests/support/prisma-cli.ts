// Runs the real Prisma CLI of this project (node_modules/prisma), as a developer would: the
// project's prisma.config.ts is loaded, so the schema-engine stand-in is used.

import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

const prismaCli = path.join(
  path.dirname(createRequire(import.meta.url).resolve("prisma/package.json")),
  "build",
  "index.js",
);

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall-clock duration in milliseconds. */
  ms: number;
}

/** `prisma <args>` in the project root, with `env` added to this process's environment. */
export function runPrismaCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CommandResult> {
  return runCommand(process.execPath, [prismaCli, ...args], env);
}

/** Runs a command in the project root and collects its output (never rejects on exit codes). */
export function runCommand(command: string, args: string[], env: Record<string, string | undefined> = {}): Promise<CommandResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: projectRoot,
      // No update check or telemetry: these machines have no route to Prisma's servers.
      env: { ...process.env, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code, signal) =>
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr, ms: Math.round(performance.now() - started) }),
    );
  });
}
