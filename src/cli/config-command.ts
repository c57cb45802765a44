import path from "node:path";
import { resolveAppPaths } from "./app-paths.js";
import { CliUsageError, EXIT_CODES, writeFully, type CliContext } from "./cli-io.js";
import {
  isPersistedKey,
  isSecretKey,
  maskSecret,
  openConfigStore,
  parseSettingValue,
  PERSISTED_SETTINGS,
  type ConfigStore,
  type PersistedKey,
} from "./config-store.js";
import { readEnvironment } from "./load-settings.js";

export type ConfigAction =
  | { action: "set"; key: string; value: string }
  | { action: "add"; key: string; values: string[] }
  | { action: "get"; key: string }
  | { action: "unset"; key: string }
  | { action: "list" }
  | { action: "path" };

/**
 * `report-mcp config set|add|get|unset|list|path`. The store is `config.json` in
 * REPORT_MCP_HOME (or the OS config dir), mode 0600. `list` masks secrets (`••••abcd`); `get`
 * prints a secret in full, since it is the owner's own terminal and scripts need the value.
 * `get` of an unset key prints nothing and exits 1 (as `git config` does).
 */
export async function configCommand(options: { request: ConfigAction; context: CliContext }): Promise<number> {
  const { request, context } = options;
  const environment = readEnvironment({ env: context.env, cwd: context.cwd });
  const store = openConfigStore({
    configDir: resolveAppPaths({ env: environment.values, cwd: context.cwd }).configDir,
  });
  const print = (text: string): Promise<void> => writeFully(context.stdout, `${text}\n`);
  switch (request.action) {
    case "path":
      await print(store.path);
      return EXIT_CODES.success;
    case "list":
      return listSettings({ store, print, context });
    case "get": {
      const key = knownKey(request.key);
      const value = store.read()[key];
      if (value === undefined) {
        context.stderr.write(`report-mcp: ${key} is not set\n`);
        return EXIT_CODES.failed;
      }
      await print(Array.isArray(value) ? value.join("\n") : String(value));
      return EXIT_CODES.success;
    }
    case "set": {
      const key = knownKey(request.key);
      store.set(key, parseSettingValue({ key, text: request.value, cwd: context.cwd }));
      context.stderr.write(`Saved ${key} in ${store.path}\n`);
      return EXIT_CODES.success;
    }
    case "add": {
      const key = knownKey(request.key);
      if (key !== "corpus")
        throw new CliUsageError(`config add works for corpus only; use \`report-mcp config set ${key} <value>\``);
      const current = store.read().corpus ?? [];
      const folders = [...current];
      for (const value of request.values) {
        const parsed = parseSettingValue({ key, text: value, cwd: context.cwd });
        for (const folder of Array.isArray(parsed) ? parsed : [String(parsed)])
          if (!folders.includes(folder)) folders.push(folder);
      }
      store.set("corpus", folders);
      context.stderr.write(`Saved corpus in ${store.path}\n`);
      return EXIT_CODES.success;
    }
    case "unset": {
      const key = knownKey(request.key);
      store.unset(key);
      context.stderr.write(`Removed ${key} from ${store.path}\n`);
      return EXIT_CODES.success;
    }
  }
}

async function listSettings(options: {
  store: ConfigStore;
  print: (text: string) => Promise<void>;
  context: CliContext;
}): Promise<number> {
  const stored = options.store.read();
  const lines: string[] = [];
  for (const key of PERSISTED_SETTINGS) {
    const value = stored[key];
    if (value === undefined) continue;
    const shown = Array.isArray(value)
      ? value.join(path.delimiter)
      : isSecretKey(key)
        ? maskSecret(String(value))
        : String(value);
    lines.push(`${key}=${shown}`);
  }
  if (lines.length === 0) {
    options.context.stderr.write(
      `No settings stored yet (${options.store.path}). Try \`report-mcp config set provider openai\`.\n`,
    );
    return EXIT_CODES.success;
  }
  await options.print(lines.join("\n"));
  return EXIT_CODES.success;
}

function knownKey(key: string): PersistedKey {
  if (isPersistedKey(key)) return key;
  throw new CliUsageError(`unknown setting "${key}"; valid keys: ${PERSISTED_SETTINGS.join(", ")}`);
}
