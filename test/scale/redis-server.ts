/**
 * A real Redis for tests: Debian's `redis-server`, started on a free loopback port with its own
 * temporary folder (never a system service), stopped afterwards. Without `redis-server` the
 * Redis tests are skipped with a printed reason, except in CI (`CI` set), where they must run.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const CANDIDATES = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"];

/** The redis-server binary, or null. In CI a missing binary is an error, not a skip. */
export function findRedisServer(): string | null {
  const fromPath = (process.env.PATH ?? "").split(path.delimiter).map((folder) => path.join(folder, "redis-server"));
  const found = [...CANDIDATES, ...fromPath].find((file) => fs.existsSync(file)) ?? null;
  if (!found && process.env.CI)
    throw new Error(
      "redis-server is not installed, and CI must run the Redis tests: .ci/run installs Debian's redis-server.",
    );
  if (!found)
    console.warn("Skipping the Redis scale-out tests: redis-server is not installed (apt-get install redis-server).");
  return found;
}

export type RedisServer = {
  url: string;
  port: number;
  /** Stops Redis (SIGTERM: it flushes its append-only file) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port and folder (with the append-only file, the data comes back). */
  start(): Promise<void>;
  /** Stops it for good and removes its folder. */
  close(): Promise<void>;
};

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startRedisServer(options: {
  binary: string;
  appendOnly?: boolean;
  keyspaceEvents?: string;
}): Promise<RedisServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "report-mcp-redis-"));
  const port = await freePort();
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--dir",
    dir,
    "--save",
    "",
    "--appendonly",
    options.appendOnly ? "yes" : "no",
    "--appendfsync",
    "always",
    "--logfile",
    "",
    "--protected-mode",
    "yes",
    ...(options.keyspaceEvents ? ["--notify-keyspace-events", options.keyspaceEvents] : []),
  ];
  let child: ChildProcess | null = null;
  const start = async (): Promise<void> => {
    const process_ = spawn(options.binary, args, { stdio: ["ignore", "pipe", "pipe"] });
    child = process_;
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        output += chunk.toString("utf8");
        if (output.includes("Ready to accept connections")) {
          process_.stdout?.off("data", onData);
          resolve();
        }
      };
      process_.stdout?.on("data", onData);
      process_.once("exit", (code) =>
        reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)),
      );
    });
    // Keep draining its log so it never blocks on a full pipe.
    process_.stdout?.resume();
    process_.stderr?.resume();
  };
  const stop = async (): Promise<void> => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once("exit", () => resolve());
      running.kill("SIGTERM");
    });
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start,
    async close() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
