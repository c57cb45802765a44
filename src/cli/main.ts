import { runCli } from "./program.js";
import type { CliContext } from "./cli-io.js";

/**
 * The `report-mcp` binary (bin/report-mcp.js imports the bundled dist/cli.js). Static imports stay
 * light (commander and small modules); each command loads its implementation on demand.
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

const exitCode = await runCli({ argv: process.argv.slice(2), context });
// null: the stdio server has shut down and set process.exitCode itself.
if (exitCode === null) process.exit();
else process.exit(exitCode);
