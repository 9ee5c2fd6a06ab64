import { spawn, type ChildProcess } from "node:child_process";
import { afterAll } from "vitest";
import { projectRoot } from "./prisma-cli";

// `npm run worker` as a real process for the tests that kill one outright: spawned with tsx's
// loader inside the node process itself (the tsx CLI would run the script in a grandchild, which
// a SIGKILL of the CLI leaves running), its output kept for the failure message, and every one
// still running SIGKILLed when the file ends.

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Returns the file's spawner; DATABASE_URL, AUTH_SECRET and ENCRYPTION_KEY are inherited (useTestEnv). */
export function workerProcesses(): (args: string[], env: Record<string, string>) => WorkerProcess {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  return (args, env) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts", ...args], {
      cwd: projectRoot,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    return { child, output: () => output, exited };
  };
}

/** Polls `probe` until it gives a value; on timeout the error carries the worker's output and `context()`. */
export async function until<T>(
  what: string,
  worker: WorkerProcess | null,
  probe: () => Promise<T | null | undefined | false>,
  { timeoutMs = 30_000, context }: { timeoutMs?: number; context?: () => Promise<string> } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}\n${worker?.output() ?? ""}${context ? `\n${await context()}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
