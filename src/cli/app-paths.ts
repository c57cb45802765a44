import os from "node:os";
import path from "node:path";

const APP_NAME = "report-mcp";

export type AppPaths = {
  /** Directory of the settings file (`config.json`). */
  configDir: string;
  /** Data directory: indexes, sessions, reports (`Settings.home`). */
  dataDir: string;
};

/**
 * Where settings and data live. `REPORT_MCP_HOME` (resolved against `cwd`) holds both; otherwise
 * the OS conventions: Linux `$XDG_CONFIG_HOME/report-mcp` + `$XDG_DATA_HOME/report-mcp`
 * (`~/.config/report-mcp`, `~/.local/share/report-mcp`), macOS `~/Library/Preferences/report-mcp`
 * + `~/Library/Application Support/report-mcp`, Windows `%APPDATA%\report-mcp` (both).
 */
export function resolveAppPaths(options: {
  env: NodeJS.ProcessEnv;
  cwd: string;
  platform?: NodeJS.Platform;
}): AppPaths {
  const { env, cwd, platform = process.platform } = options;
  const explicitHome = env.REPORT_MCP_HOME;
  if (explicitHome) {
    const home = path.resolve(cwd, explicitHome);
    return { configDir: home, dataDir: home };
  }
  const userHome = (platform === "win32" ? env.USERPROFILE : env.HOME) || os.homedir();
  if (platform === "darwin") {
    return {
      configDir: path.join(userHome, "Library", "Preferences", APP_NAME),
      dataDir: path.join(userHome, "Library", "Application Support", APP_NAME),
    };
  }
  if (platform === "win32") {
    const appData = env.APPDATA || path.join(userHome, "AppData", "Roaming");
    const dir = path.win32.join(appData, APP_NAME);
    return { configDir: dir, dataDir: dir };
  }
  const configBase = absoluteOr(env.XDG_CONFIG_HOME, path.join(userHome, ".config"));
  const dataBase = absoluteOr(env.XDG_DATA_HOME, path.join(userHome, ".local", "share"));
  return { configDir: path.join(configBase, APP_NAME), dataDir: path.join(dataBase, APP_NAME) };
}

/** XDG variables count only when absolute (as the XDG spec says). */
function absoluteOr(value: string | undefined, fallback: string): string {
  return value && path.isAbsolute(value) ? value : fallback;
}
