/**
 * An in-process CliContext for tests: captured stdout/stderr, a scripted stdin, a Ctrl-C
 * trigger, and the real runtime factory unless one is given.
 */
import { PassThrough, Writable } from "node:stream";
import type { CliContext, CreateRuntime } from "../../src/cli/cli-io.js";
import { runCli } from "../../src/cli/program.js";
import { Notifier } from "./notifier.js";

export type CapturedStream = Writable & {
  isTTY?: boolean;
  text(): string;
  /** Resolves once the written text contains `expected` (a string or a pattern), on the write itself. */
  until(expected: string | RegExp): Promise<void>;
};

export function captureStream(options: { isTTY?: boolean } = {}): CapturedStream {
  const chunks: Buffer[] = [];
  const writes = new Notifier();
  const text = () => Buffer.concat(chunks).toString("utf8");
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      writes.notify();
      callback();
    },
  });
  const until = (expected: string | RegExp) =>
    writes.until(() => (typeof expected === "string" ? text().includes(expected) : expected.test(text())));
  // A terminal stream also has cursor control (ora uses it); these only need to exist.
  const cursor = options.isTTY
    ? { cursorTo: () => true, moveCursor: () => true, clearLine: () => true, columns: 100 }
    : {};
  return Object.assign(stream, cursor, { isTTY: options.isTTY, text, until });
}

export type TestCli = {
  context: CliContext;
  stdout: CapturedStream;
  stderr: CapturedStream;
  stdin: PassThrough & { isTTY?: boolean };
  /** Simulates Ctrl-C (SIGINT) for whatever subscribed. */
  interrupt(): void;
  /** Exit code passed to `exitNow` (second Ctrl-C), if any. */
  exitedNow: number | null;
  run(argv: string[]): Promise<number | null>;
};

export function createTestCli(options: {
  env: NodeJS.ProcessEnv;
  cwd: string;
  tty?: boolean;
  createRuntime?: CreateRuntime;
}): TestCli {
  const stdout = captureStream();
  const stderr = captureStream({ isTTY: options.tty });
  const stdin = Object.assign(new PassThrough(), { isTTY: options.tty });
  const listeners = new Set<() => void>();
  const cli: TestCli = {
    stdout,
    stderr,
    stdin,
    exitedNow: null,
    context: {
      stdout,
      stderr,
      stdin,
      env: options.env,
      cwd: options.cwd,
      createRuntime: options.createRuntime,
      onInterrupt(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      exitNow(code) {
        cli.exitedNow = code;
      },
    },
    interrupt() {
      for (const listener of [...listeners]) listener();
    },
    run(argv) {
      return runCli({ argv, context: cli.context });
    },
  };
  return cli;
}
