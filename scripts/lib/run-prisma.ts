import { spawn } from "node:child_process";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");

/** Runs the Prisma CLI (its schema engine is the wasm stand-in set up by prisma.config.ts). */
export function runPrisma(args: string[], env: Record<string, string>, options: { quiet?: boolean } = {}): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(resolve(root, "node_modules/.bin/prisma"), args, {
      cwd: root,
      env: { ...process.env, ...env, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) {
        if (!options.quiet && process.env.MYITS_VERBOSE) process.stdout.write(output);
        resolvePromise(output);
      } else {
        reject(new Error(`prisma ${args.join(" ")} failed (exit ${code}):\n${output}`));
      }
    });
  });
}
