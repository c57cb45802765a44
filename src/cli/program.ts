import { Command, CommanderError } from "commander";
import { ReportError, toReportError } from "../core/errors.js";
import { VERSION } from "../version.js";
import { CliUsageError, EXIT_CODES, oneLine, type CliContext } from "./cli-io.js";
import { cliErrorMessage } from "./hint-advice.js";
import type { ConfigAction } from "./config-command.js";
import type { RunFlags } from "./run-command.js";
import type { ServeFlags } from "./serve-command.js";
import type { WorkerFlags } from "./worker-command.js";
import { startStdio } from "./stdio-command.js";

const CONFIG_KEYS =
  "provider, model, apiKey, baseUrl, tavilyApiKey, tavilyBaseUrl, braveApiKey, braveBaseUrl, googleApiKey, googleCseId, googleBaseUrl, corpus, timeoutMs, token, redisUrl";

/**
 * Parses `argv` (without node and script) and runs the command. Resolves with the exit code, or
 * null after the stdio MCP server has shut down (it sets `process.exitCode` itself). Every command module is
 * imported lazily so that `report-mcp` with no arguments starts the stdio server fast.
 */
export async function runCli(options: { argv: string[]; context: CliContext }): Promise<number | null> {
  const { argv, context } = options;
  let exitCode: number | null = EXIT_CODES.success;
  const program = new Command("report-mcp")
    .description(
      "Cited research reports from a one-line task: an MCP server (stdio), a terminal command and an HTTP/SSE API.",
    )
    .version(VERSION, "-v, --version", "print the version")
    .helpOption("-h, --help", "show help")
    // The root's own action (the stdio server) would otherwise hide commander's help command.
    .helpCommand("help [command]", "show help for a command, e.g. `report-mcp help run`")
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => void context.stdout.write(text),
      writeErr: (text) => void context.stderr.write(text),
      outputError: (text, write) => write(`report-mcp: ${oneLine(text.replace(/^error:\s*/i, ""))}\n`),
    })
    .addHelpText(
      "after",
      "\nWith no command, report-mcp serves MCP over stdio (for Cursor, Claude Desktop, VS Code, Claude Code).",
    )
    .action(async (_options: unknown, command: Command) => {
      const [unknown] = command.args;
      if (unknown !== undefined)
        throw new CliUsageError(
          `unknown command '${unknown}' (commands: run, config, index, serve, worker, stdio; see report-mcp --help)`,
        );
      exitCode = await startStdio(context);
    });

  program
    .command("stdio")
    .description("serve MCP over stdio (the default); stdout carries JSON-RPC only")
    .action(async () => {
      exitCode = await startStdio(context);
    });

  program
    .command("run")
    .description("write a cited report in the terminal; the Markdown goes to stdout")
    .argument("<task...>", 'the request in any language, e.g. "State of solid-state batteries in 2026"')
    .option("--type <type>", "news_report | research_report | industry_analysis | auto", undefined)
    .option("--days <n>", "search time window in days, 1-3650 (default: from the task's wording, else 7)")
    .option("--quality-threshold <x>", "overall quality 0-10 needed to stop gap-filling (default 7)")
    .option("--max-iterations <n>", "quality assessment / gap-filling rounds, 1-10 (default 3)")
    .option("--no-auto-confirm", "show the outline and ask to approve, edit or reject it (needs a terminal)")
    .option("--corpus <dir>", "local corpus folder (repeatable)", (value: string, previous: string[] | undefined) => [
      ...(previous ?? []),
      value,
    ])
    .option("--language <tag>", "report language, e.g. en, zh (default: the task's language)")
    .option("--provider <name>", "model preset: openai, doubao, deepseek, ollama, custom")
    .option("--model <name>", "model name (default: the preset's)")
    .option("--base-url <url>", "base URL of the OpenAI-compatible API")
    .option("--timeout <seconds>", "stop the whole run after this many seconds (default 3600; 0 = no limit)")
    .option("--out <file>", "write the report to FILE: .md, .html or .json by extension")
    .option("--json", "print the structured result (JSON) on stdout instead of Markdown")
    .option(
      "--max-tokens <n>",
      "token budget of the whole run, never exceeded (default 1000000, or REPORT_MCP_MAX_TOKENS)",
    )
    .option(
      "--max-cost <amount>",
      "money budget of the whole run in the model price's currency (or REPORT_MCP_MAX_COST)",
    )
    .option(
      "--estimate",
      "print a quote (model calls, tokens, cost) for the task with the current settings, and run nothing",
    )
    .addHelpText(
      "after",
      "\nExit codes: 0 done, 1 failed run, 2 bad usage, 3 no usable evidence, 4 budget exceeded, 130 cancelled (Ctrl-C).",
    )
    .action(async (taskWords: string[], flags: RunFlags) => {
      const { runCommand } = await import("./run-command.js");
      exitCode = await runCommand({ task: taskWords.join(" "), flags, context });
    });

  const config = program
    .command("config")
    .description("show or change persisted settings (secrets masked in list; file mode 0600)")
    .addHelpText("after", `\nKeys: ${CONFIG_KEYS}`);
  const configAction = (request: ConfigAction) => async () => {
    const { configCommand } = await import("./config-command.js");
    exitCode = await configCommand({ request, context });
  };
  config
    .command("set")
    .description("store a setting, e.g. `config set provider deepseek`")
    .argument("<key>")
    .argument("<value>")
    .action((key: string, value: string) => configAction({ action: "set", key, value })());
  config
    .command("add")
    .description("add folders to a list setting: `config add corpus ./notes ./papers`")
    .argument("<key>")
    .argument("<values...>")
    .action((key: string, values: string[]) => configAction({ action: "add", key, values })());
  config
    .command("get")
    .description("print a stored setting (secrets in full)")
    .argument("<key>")
    .action((key: string) => configAction({ action: "get", key })());
  config
    .command("unset")
    .description("remove a stored setting")
    .argument("<key>")
    .action((key: string) => configAction({ action: "unset", key })());
  config
    .command("list")
    .description("print stored settings, secrets masked")
    .action(() => configAction({ action: "list" })());
  config
    .command("path")
    .description("print the settings file's path")
    .action(() => configAction({ action: "path" })());

  program
    .command("index")
    .description("build or refresh the local corpus index of a folder ahead of time")
    .argument("<dir>", "corpus folder")
    .action(async (folder: string) => {
      const { indexCommand } = await import("./index-command.js");
      exitCode = await indexCommand({ folder, context });
    });

  program
    .command("serve")
    .description("serve the HTTP/SSE API, MCP Streamable HTTP and the web page (default 127.0.0.1:8001)")
    .option("--sse", "serve the SSE API (the default and only mode)")
    .option("--host <host>", "address to bind (default 127.0.0.1)")
    .option("--port <port>", "port (default 8001)")
    .option("--mcp-port <port>", "also serve /mcp on this port, e.g. 8000 (the original orchestrator's MCP port)")
    .option(
      "--list-seed-tool",
      "list orchestrator_mcp_streaming (the original orchestrator's tool name) in MCP tools/list; it is callable either way",
    )
    .option("--token <token>", "require `Authorization: Bearer <token>` (or set REPORT_MCP_TOKEN)")
    .option("--force", "allow a non-loopback address without a token")
    .option(
      "--max-concurrent <n>",
      "reports running at once before new ones get 429 (default 4; with --redis: queued or running across all replicas, default 100)",
    )
    .option("--timeout <seconds>", "stop each report after this many seconds (default 3600; 0 = no limit)")
    .option(
      "--redis <url>",
      "scale out: keep runs in this Redis, shared with other replicas and `report-mcp worker`s (or REPORT_MCP_REDIS_URL)",
    )
    .option(
      "--workers <n>",
      "with --redis: reports this process also runs from the shared queue at once (default 4; 0 = front end only)",
    )
    .option("--retention <duration>", "how long finished reports stay readable, e.g. 30d, 12h, 90s (default 30d)")
    .option(
      "--stall-timeout <duration>",
      "with --redis: a worker silent this long has its reports restarted elsewhere (default 30s)",
    )
    .option("--corpus <dir>", "local corpus folder (repeatable)", (value: string, previous: string[] | undefined) => [
      ...(previous ?? []),
      value,
    ])
    .option(
      "--allowed-host <host>",
      "also accept this Host header, e.g. reports.example.com or proxy:8443 (repeatable; for a reverse proxy)",
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .action(async (flags: ServeFlags) => {
      const { serveCommand } = await import("./serve-command.js");
      exitCode = await serveCommand({ flags, context });
    });

  program
    .command("worker")
    .description("scale out: run reports from the shared Redis queue of `serve --redis` front ends")
    .option("--redis <url>", "the Redis of the deployment (or REPORT_MCP_REDIS_URL, or `config set redisUrl`)")
    .option("--concurrency <n>", "reports this worker runs at once (default 4)")
    .option(
      "--retention <duration>",
      "how long finished reports stay readable, e.g. 30d, 12h, 90s (default 30d; use the same on every process)",
    )
    .option(
      "--stall-timeout <duration>",
      "a worker silent this long has its reports restarted on another (default 30s; use the same on every process)",
    )
    .option("--corpus <dir>", "local corpus folder (repeatable)", (value: string, previous: string[] | undefined) => [
      ...(previous ?? []),
      value,
    ])
    .addHelpText(
      "after",
      "\nModel and search settings come from the environment and `report-mcp config`, as for serve. Runs until Ctrl-C / SIGTERM, then hands its running reports back to the queue.",
    )
    .action(async (flags: WorkerFlags) => {
      const { workerCommand } = await import("./worker-command.js");
      exitCode = await workerCommand({ flags, context });
    });

  // Only the root takes extra words, to name an unknown command (subcommands were created strict).
  program.allowExcessArguments(true);
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    return reportFailure(error, context);
  }
}

/** Converts what a command threw into its exit code and one line on stderr. */
function reportFailure(error: unknown, context: CliContext): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_CODES.success : EXIT_CODES.usage;
  if (error instanceof CliUsageError || (error instanceof ReportError && error.type === "invalid_params")) {
    context.stderr.write(
      `report-mcp: ${oneLine(error instanceof ReportError ? cliErrorMessage(error) : error.message)}\n`,
    );
    return EXIT_CODES.usage;
  }
  const reportError = toReportError(error);
  context.stderr.write(`report-mcp: error [${reportError.type}] ${oneLine(cliErrorMessage(reportError))}\n`);
  return EXIT_CODES.failed;
}
