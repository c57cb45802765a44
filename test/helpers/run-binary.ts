/** Spawns the built `report-mcp` binary (see ensureBuilt) and collects its output. */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { BIN, REPO_ROOT } from "./build.js";

export type BinaryResult = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/** A minimal environment: no API keys or settings leak in from the machine running the tests. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C.UTF-8", ...extra };
}

export type RunningBinary = {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  done: Promise<BinaryResult>;
};

export function startBinary(args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string }): RunningBinary {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: options.env,
    cwd: options.cwd ?? REPO_ROOT,
    stdio: "pipe",
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.stdin.end();
  const done = new Promise<BinaryResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}

export function runBinary(args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string }): Promise<BinaryResult> {
  return startBinary(args, options).done;
}
