/**
 * A client-side stdio Transport over a child process we spawn ourselves, so the test can keep
 * every raw byte the server writes to stdout (StdioClientTransport hides its child's streams).
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { ReadBuffer, serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { Notifier } from "../helpers/notifier.js";

export class RecordingChildTransport implements Transport {
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything the child wrote to stdout, as received. */
  stdout = "";
  stderr = "";
  /** Every message sent to the child and received from it, in order (for transcripts). */
  readonly transcript: Array<{ direction: "client→server" | "server→client"; message: JSONRPCMessage }> = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly #buffer = new ReadBuffer();
  readonly #changes = new Notifier();

  /** Resolves once `condition` holds, re-checked after every chunk the child writes and every message delivered. */
  until(condition: () => boolean): Promise<void> {
    return this.#changes.until(condition);
  }

  constructor(options: { command: string; args: string[]; env: Record<string, string>; cwd: string }) {
    this.child = spawn(options.command, options.args, { env: options.env, cwd: options.cwd, stdio: "pipe" });
    this.exited = new Promise((resolve) => this.child.on("exit", (code, signal) => resolve({ code, signal })));
    this.child.stdout.on("data", (chunk: Buffer) => {
      this.stdout += chunk.toString("utf8");
      this.#buffer.append(chunk);
      for (;;) {
        let message: JSONRPCMessage | null;
        try {
          message = this.#buffer.readMessage();
        } catch (error) {
          this.onerror?.(error instanceof Error ? error : new Error(String(error)));
          continue;
        }
        if (!message) break;
        this.transcript.push({ direction: "server→client", message });
        this.onmessage?.(message);
        this.#changes.notify();
      }
      this.#changes.notify();
    });
    this.child.stderr.on("data", (chunk: Buffer) => {
      this.stderr += chunk.toString("utf8");
      this.#changes.notify();
    });
    this.child.on("close", () => this.onclose?.());
  }

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    if (!this.child.stdin.writable) return;
    this.transcript.push({ direction: "client→server", message });
    this.child.stdin.write(serializeMessage(message));
  }

  async close(): Promise<void> {
    this.child.stdin.end();
  }
}

/** Lines of raw stdout that are not a JSON-RPC 2.0 message (should be none). */
export function nonJsonRpcLines(stdout: string): string[] {
  return stdout
    .split("\n")
    .filter((line) => line.length > 0)
    .filter((line) => {
      try {
        const parsed = JSON.parse(line) as { jsonrpc?: unknown; method?: unknown; id?: unknown };
        return parsed.jsonrpc !== "2.0" || (parsed.method === undefined && parsed.id === undefined);
      } catch {
        return true;
      }
    });
}

/** Every JSON-RPC message in raw stdout, in the order written. */
export function wireMessages(
  stdout: string,
): Array<{ id?: unknown; method?: string; params?: unknown; result?: unknown; error?: unknown }> {
  return stdout
    .split("\n")
    .filter((line) => line.length > 0)
    .map(
      (line) =>
        JSON.parse(line) as { id?: unknown; method?: string; params?: unknown; result?: unknown; error?: unknown },
    );
}
