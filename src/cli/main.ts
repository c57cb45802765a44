import type { CliContext } from "./cli-io.js";

/**
 * The `report-mcp` binary (bin/report-mcp.js imports the bundled dist/cli.js). With no arguments
 * (how MCP hosts start it) it serves stdio without loading the command-line parser; otherwise
 * commander parses the command, and each command loads its implementation on demand.
 */
const context: CliContext = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
  onInterrupt(listener) {
    process.on("SIGINT", listener);
    process.on("SIGTERM", listener);
    return () => {
      process.off("SIGINT", listener);
      process.off("SIGTERM", listener);
    };
  },
  exitNow(code) {
    process.exit(code);
  },
};

const argv = process.argv.slice(2);
const exitCode =
  argv.length === 0
    ? await (await import("./stdio-command.js")).startStdio(context)
    : await (await import("./program.js")).runCli({ argv, context });
// null: the stdio server has shut down and set process.exitCode itself.
if (exitCode === null) process.exit();
else process.exit(exitCode);
