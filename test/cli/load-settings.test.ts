import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ReportError } from "../../src/core/errors.js";
import { openConfigStore } from "../../src/cli/config-store.js";
import { loadSettings } from "../../src/cli/load-settings.js";

let dir: string;
let home: string;
let cwd: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "report-mcp-settings-"));
  home = path.join(dir, "home");
  cwd = path.join(dir, "project");
  await fs.mkdir(cwd, { recursive: true });
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** An environment with nothing but the temp home (the real process env never leaks in). */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { REPORT_MCP_HOME: home, ...extra };
}

function store() {
  return openConfigStore({ configDir: home });
}

async function usageError(promise: Promise<unknown>): Promise<ReportError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ReportError);
  const reportError = error as ReportError;
  expect(reportError.type).toBe("invalid_params");
  return reportError;
}

describe("loadSettings", () => {
  it("falls back to defaults: no model (extractive), no search keys, home from REPORT_MCP_HOME", async () => {
    const settings = await loadSettings({ env: env(), cwd });
    expect(settings.provider).toBeNull();
    expect(settings.apiKey).toBeNull();
    expect(settings.tavilyApiKey).toBeNull();
    expect(settings.corpus).toEqual([]);
    expect(settings.home).toBe(home);
    expect(settings.allowPrivateFetch).toBe(false);
  });

  it("uses the OS data dir when REPORT_MCP_HOME is unset", async () => {
    const settings = await loadSettings({ env: { HOME: dir, XDG_CONFIG_HOME: path.join(dir, "cfg") }, cwd });
    expect(settings.home).toBe(path.join(dir, ".local", "share", "report-mcp"));
    const xdg = await loadSettings({ env: { HOME: dir, XDG_DATA_HOME: path.join(dir, "data") }, cwd });
    expect(xdg.home).toBe(path.join(dir, "data", "report-mcp"));
  });

  it("applies flags over env over .env over the conf store", async () => {
    store().set("model", "from-store");
    store().set("tavilyApiKey", "tvly-store");
    store().set("braveApiKey", "brave-store");
    await fs.writeFile(
      path.join(cwd, ".env"),
      "REPORT_MCP_MODEL=from-dotenv\nTAVILY_API_KEY=tvly-dotenv\nOPENAI_API_KEY=sk-dotenv\n",
    );
    const fromDotenv = await loadSettings({ env: env(), cwd });
    expect(fromDotenv.model).toBe("from-dotenv");
    expect(fromDotenv.tavilyApiKey).toBe("tvly-dotenv");
    expect(fromDotenv.braveApiKey).toBe("brave-store");
    expect(fromDotenv.provider).toBe("openai");
    expect(fromDotenv.apiKey).toBe("sk-dotenv");

    const fromEnv = await loadSettings({ env: env({ REPORT_MCP_MODEL: "from-env", TAVILY_API_KEY: "tvly-env" }), cwd });
    expect(fromEnv.model).toBe("from-env");
    expect(fromEnv.tavilyApiKey).toBe("tvly-env");

    const fromFlag = await loadSettings({
      flags: { model: "from-flag" },
      env: env({ REPORT_MCP_MODEL: "from-env" }),
      cwd,
    });
    expect(fromFlag.model).toBe("from-flag");
  });

  it("does not load .env into process.env", async () => {
    await fs.writeFile(path.join(cwd, ".env"), "REPORT_MCP_TEST_ONLY_VARIABLE=1\n");
    await loadSettings({ env: env(), cwd });
    expect(process.env.REPORT_MCP_TEST_ONLY_VARIABLE).toBeUndefined();
  });

  it("detects the provider from the first key present: OpenAI, then Ark (doubao), then DeepSeek", async () => {
    expect((await loadSettings({ env: env({ DEEPSEEK_API_KEY: "ds", ARK_API_KEY: "ark" }), cwd })).provider).toBe(
      "doubao",
    );
    const deepseek = await loadSettings({ env: env({ DEEPSEEK_API_KEY: "ds-key" }), cwd });
    expect(deepseek.provider).toBe("deepseek");
    expect(deepseek.apiKey).toBe("ds-key");
    const all = await loadSettings({
      env: env({ DEEPSEEK_API_KEY: "ds", ARK_API_KEY: "ark", OPENAI_API_KEY: "sk" }),
      cwd,
    });
    expect(all.provider).toBe("openai");
    expect(all.apiKey).toBe("sk");
  });

  it("lets an explicit provider win over detection and take its own preset's key", async () => {
    const settings = await loadSettings({
      env: env({ REPORT_MCP_PROVIDER: "deepseek", OPENAI_API_KEY: "sk-openai", DEEPSEEK_API_KEY: "ds-key" }),
      cwd,
    });
    expect(settings.provider).toBe("deepseek");
    expect(settings.apiKey).toBe("ds-key");
    const ollama = await loadSettings({
      flags: { provider: "ollama" },
      env: env({ OPENAI_API_KEY: "sk-openai" }),
      cwd,
    });
    expect(ollama.provider).toBe("ollama");
    expect(ollama.apiKey).toBeNull();
  });

  it("rejects an explicit provider whose key is missing, naming the variable and never a key", async () => {
    const error = await usageError(
      loadSettings({ flags: { provider: "doubao" }, env: env({ OPENAI_API_KEY: "sk-secret-value" }), cwd }),
    );
    expect(error.message).toContain("ARK_API_KEY");
    expect(error.message).toContain("--provider");
    expect(error.message).not.toContain("sk-secret-value");
  });

  it("uses the stored apiKey only for the stored provider", async () => {
    store().set("provider", "deepseek");
    store().set("apiKey", "ds-stored");
    store().set("model", "deepseek-reasoner");
    const stored = await loadSettings({ env: env(), cwd });
    expect(stored).toMatchObject({ provider: "deepseek", apiKey: "ds-stored", model: "deepseek-reasoner" });
    const error = await usageError(loadSettings({ flags: { provider: "openai" }, env: env(), cwd }));
    expect(error.message).toContain("OPENAI_API_KEY");
    const other = await loadSettings({ flags: { provider: "openai" }, env: env({ OPENAI_API_KEY: "sk" }), cwd });
    expect(other.model).toBeNull();
  });

  it("custom takes REPORT_MCP_API_KEY / REPORT_MCP_BASE_URL and needs a base URL and a model", async () => {
    const settings = await loadSettings({
      env: env({
        REPORT_MCP_PROVIDER: "custom",
        REPORT_MCP_API_KEY: "custom-key",
        REPORT_MCP_BASE_URL: "http://127.0.0.1:9/v1",
        REPORT_MCP_MODEL: "my-model",
      }),
      cwd,
    });
    expect(settings).toMatchObject({
      provider: "custom",
      apiKey: "custom-key",
      baseUrl: "http://127.0.0.1:9/v1",
      model: "my-model",
    });
    const error = await usageError(
      loadSettings({ env: env({ REPORT_MCP_PROVIDER: "custom", REPORT_MCP_API_KEY: "k" }), cwd }),
    );
    expect(error.message).toContain("REPORT_MCP_BASE_URL");
  });

  it("splits REPORT_MCP_CORPUS on the path delimiter and resolves folders against cwd; --corpus wins", async () => {
    const settings = await loadSettings({
      env: env({ REPORT_MCP_CORPUS: ["notes", "/abs/papers", ""].join(path.delimiter) }),
      cwd,
    });
    expect(settings.corpus).toEqual([path.join(cwd, "notes"), "/abs/papers"]);
    await fs.mkdir(path.join(cwd, "other"), { recursive: true });
    const flagged = await loadSettings({
      flags: { corpus: ["./other"] },
      env: env({ REPORT_MCP_CORPUS: "notes" }),
      cwd,
    });
    expect(flagged.corpus).toEqual([path.join(cwd, "other")]);
  });

  it("maps the remaining contract variables", async () => {
    const settings = await loadSettings({
      env: env({
        OPENAI_API_KEY: "sk",
        OPENAI_BASE_URL: "http://127.0.0.1:1/v1",
        TAVILY_BASE_URL: "http://127.0.0.1:2",
        BRAVE_API_KEY: "brave",
        BRAVE_BASE_URL: "http://127.0.0.1:3",
        GOOGLE_API_KEY: "google",
        GOOGLE_CSE_ID: "cse",
        GOOGLE_BASE_URL: "http://127.0.0.1:4",
        REPORT_MCP_ALLOW_PRIVATE_FETCH: "1",
        REPORT_MCP_TOKEN: "secret-token",
      }),
      cwd,
    });
    expect(settings).toMatchObject({
      baseUrl: "http://127.0.0.1:1/v1",
      tavilyBaseUrl: "http://127.0.0.1:2",
      braveApiKey: "brave",
      braveBaseUrl: "http://127.0.0.1:3",
      googleApiKey: "google",
      googleCseId: "cse",
      googleBaseUrl: "http://127.0.0.1:4",
      allowPrivateFetch: true,
      token: "secret-token",
    });
  });

  it("names the variable or flag of an invalid value and what is expected", async () => {
    expect((await usageError(loadSettings({ env: env({ REPORT_MCP_PROVIDER: "gemini" }), cwd }))).message).toMatch(
      /REPORT_MCP_PROVIDER must be one of openai, doubao, deepseek, ollama, custom/,
    );
    expect((await usageError(loadSettings({ env: env({ TAVILY_BASE_URL: "not a url" }), cwd }))).message).toMatch(
      /TAVILY_BASE_URL must be an http\(s\) URL/,
    );
    expect(
      (await usageError(loadSettings({ flags: { baseUrl: "ftp://x" }, env: env({ OPENAI_API_KEY: "sk" }), cwd })))
        .message,
    ).toMatch(/--base-url/);
    expect(
      (await usageError(loadSettings({ env: env({ REPORT_MCP_ALLOW_PRIVATE_FETCH: "maybe" }), cwd }))).message,
    ).toMatch(/REPORT_MCP_ALLOW_PRIVATE_FETCH must be 1 \(on\) or 0 \(off\)/);
    await fs.writeFile(path.join(cwd, ".env"), "BRAVE_BASE_URL=nope\n");
    expect((await usageError(loadSettings({ env: env(), cwd }))).message).toMatch(/BRAVE_BASE_URL \(in \.env\)/);
  });

  it("reports an invalid stored value with the key and how to fix it", async () => {
    await fs.mkdir(home, { recursive: true });
    await fs.writeFile(path.join(home, "config.json"), JSON.stringify({ timeoutMs: -5 }));
    const error = await usageError(loadSettings({ env: env(), cwd }));
    expect(error.message).toContain("timeoutMs");
    expect(error.message).toContain("report-mcp config unset timeoutMs");
  });

  it("reports a corrupt settings file instead of crashing", async () => {
    await fs.mkdir(home, { recursive: true });
    await fs.writeFile(path.join(home, "config.json"), "{ not json");
    const error = await usageError(loadSettings({ env: env(), cwd }));
    expect(error.message).toContain(path.join(home, "config.json"));
  });
});
