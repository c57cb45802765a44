// ESLint flat config: `npm run lint` runs this, then `prettier --check .` (formatting is Prettier's
// alone: eslint-config-prettier switches off every stylistic rule that could disagree with it).
import js from "@eslint/js";
import prettier from "eslint-config-prettier/flat";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  globalIgnores([
    "dist/",
    "coverage/",
    ".report-mcp-test-*/",
    ".dist-build-*/",
    // Data, not code: fixture sites and corpora must stay byte-exact.
    "test/fixtures/",
    "examples/",
  ]),

  {
    name: "report-mcp/all",
    files: ["**/*.{ts,js,mjs}"],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: { globals: globals.node },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // `_`-prefixed parameters and bindings are deliberately unused: positional callback parameters
      // and fields dropped by rest destructuring (`const { $schema: _ignored, ...rest } = schema`).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },

  {
    // Type-aware promise rules: a dropped promise is an unhandled rejection (a crashed server) or a
    // step that silently never ran; an async callback where a sync one is expected loses its errors.
    name: "report-mcp/promises",
    files: ["src/**/*.ts", "test/**/*.ts", "scripts/**/*.ts", "bench/**/*.ts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
    },
  },

  {
    // In stdio mode stdout is the MCP protocol: server code logs through the injected `log`
    // (stderr), never through console. The CLI owns the terminal; benches print their figures.
    name: "report-mcp/no-console",
    files: ["src/**/*.ts"],
    ignores: ["src/cli/**"],
    rules: { "no-console": "error" },
  },

  prettier,
);
