import { messageWithHint, type ErrorHint, type HintAdvice } from "../core/errors.js";

/**
 * Error hints in the terminal's terms: flags, environment variables and `report-mcp config`.
 * (MCP and HTTP word the same hints as tool arguments and body fields.)
 */
export const CLI_HINT_ADVICE = {
  configure_search: (_hint, language) =>
    language === "zh"
      ? "可用以下三种方式之一解决：(1) 设置网络搜索密钥：TAVILY_API_KEY、BRAVE_API_KEY，或 GOOGLE_API_KEY 加 GOOGLE_CSE_ID；" +
        "(2) 检索本地文档：使用 --corpus <文件夹> 或设置 REPORT_MCP_CORPUS（可先试内置示例资料：--corpus sample）；" +
        "(3) 保存设置供每次使用：`report-mcp config set tavilyApiKey <密钥>` 或 `report-mcp config set corpus <文件夹>`。"
      : "Fix it one of three ways: (1) set a web search key: TAVILY_API_KEY, BRAVE_API_KEY, or GOOGLE_API_KEY with GOOGLE_CSE_ID; " +
        "(2) research local documents: pass --corpus <folder> or set REPORT_MCP_CORPUS (try the shipped sample: --corpus sample); " +
        "(3) store either for every run: `report-mcp config set tavilyApiKey <key>` or `report-mcp config set corpus <folder>`.",
  raise_setting: (hint, language) => {
    switch (hint.setting) {
      case "timeout":
        return language === "zh"
          ? "可以放宽时限（--timeout <秒> 或 REPORT_MCP_TIMEOUT）、减小 --max-iterations，或缩小任务范围。"
          : "Raise the limit (--timeout <seconds> or REPORT_MCP_TIMEOUT), lower --max-iterations, or narrow the task.";
      case "days": {
        const window =
          hint.value === undefined
            ? ""
            : language === "zh"
              ? `，本次为 ${hint.value} 天`
              : `; this run searched ${hint.value} day${hint.value === 1 ? "" : "s"}`;
        return language === "zh"
          ? `可以换一种说法、扩大时间范围（--days${window}），或换用其他资料文件夹（--corpus）或网络搜索密钥（如 TAVILY_API_KEY）。`
          : `Try other wording, a wider time window (--days${window}), another corpus folder (--corpus), or a web search key (e.g. TAVILY_API_KEY).`;
      }
      case "budget":
        return language === "zh"
          ? "可以提高预算（--max-tokens、--max-cost，或 REPORT_MCP_MAX_TOKENS、REPORT_MCP_MAX_COST），或缩小任务范围。"
          : "Raise the budget (--max-tokens, --max-cost, or REPORT_MCP_MAX_TOKENS, REPORT_MCP_MAX_COST), or narrow the task.";
      case "max_model_calls":
        return language === "zh"
          ? "可以提高上限（`report-mcp config set maxModelCalls <次数>` 或 REPORT_MCP_MAX_MODEL_CALLS），或缩小任务范围。"
          : "Raise the limit (`report-mcp config set maxModelCalls <n>` or REPORT_MCP_MAX_MODEL_CALLS), or narrow the task.";
      case "max_prompt_tokens":
        return language === "zh"
          ? "可以提高上限（`report-mcp config set maxPromptTokens <tokens>` 或 REPORT_MCP_MAX_PROMPT_TOKENS），或缩小任务范围。"
          : "Raise the limit (`report-mcp config set maxPromptTokens <tokens>` or REPORT_MCP_MAX_PROMPT_TOKENS), or narrow the task.";
    }
  },
  set_price: (hint, language) => {
    const example = `report-mcp config set prices '${JSON.stringify({ [hint.model]: { input: 0.5, output: 1.5, currency: "USD" } })}'`;
    return language === "zh"
      ? `可用 REPORT_MCP_PRICES 或 \`${example}\` 设置价格（每百万 tokens 的金额），或改用 --max-tokens。`
      : `Set its price with REPORT_MCP_PRICES or \`${example}\` (money per 1M tokens), or cap tokens with --max-tokens instead.`;
  },
} satisfies HintAdvice;

/** An error's message with its hint as terminal advice. */
export function cliErrorMessage(error: { message: string; hint?: ErrorHint | undefined }): string {
  return messageWithHint(error, CLI_HINT_ADVICE);
}
