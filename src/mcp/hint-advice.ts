import { messageWithHint, type HintAdvice } from "../core/errors.js";
import type { JobError } from "../core/jobs/index.js";
import type { ReportErrorPayload } from "../core/result.js";

/**
 * Error hints in an MCP host's terms: tool arguments (`days`, `max_iterations`, as the tools
 * declare them) and, for what only the server's own settings decide, the `env` of the server's
 * entry in the client's configuration. Never a command-line flag: a host has none to pass.
 */
export const MCP_HINT_ADVICE = {
  configure_search: (_hint, language) =>
    language === "zh"
      ? "检索来源由服务器的设置决定，无法通过工具参数提供：在 MCP 客户端配置中该服务器的 env 里加入网络搜索密钥（TAVILY_API_KEY、BRAVE_API_KEY，或 GOOGLE_API_KEY 加 GOOGLE_CSE_ID）或本地资料文件夹（REPORT_MCP_CORPUS），然后重启服务器。"
      : "Search sources are the server's settings, not tool arguments: add a web search key (TAVILY_API_KEY, BRAVE_API_KEY, or GOOGLE_API_KEY with GOOGLE_CSE_ID) or a folder of documents (REPORT_MCP_CORPUS) to the env of this server's entry in your MCP client configuration, then restart the server.",
  raise_setting: (hint, language) => {
    switch (hint.setting) {
      case "timeout":
        return language === "zh"
          ? "可以传入更小的 max_iterations 参数或缩小任务范围；时限本身是服务器的设置（MCP 客户端配置中该服务器 env 里的 REPORT_MCP_TIMEOUT，单位为秒）。"
          : "Pass a lower max_iterations or narrow the task; the limit itself is the server's setting (REPORT_MCP_TIMEOUT, in seconds, in the env of this server's entry in your MCP client configuration).";
      case "days": {
        const window =
          hint.value === undefined
            ? ""
            : language === "zh"
              ? `，本次为 ${hint.value}`
              : `; this run used ${hint.value}`;
        return language === "zh"
          ? `可以换一种说法，或传入更大的 days 参数扩大时间范围${window}。`
          : `Try other wording, or pass a larger days argument for a wider time window${window}.`;
      }
      case "budget":
        return language === "zh"
          ? "可以传入更大的 max_tokens 或 max_cost 参数，或缩小任务范围。"
          : "Pass a larger max_tokens or max_cost argument, or narrow the task.";
      case "max_model_calls":
        return language === "zh"
          ? "可以缩小任务范围；该上限是服务器的设置（MCP 客户端配置中该服务器 env 里的 REPORT_MCP_MAX_MODEL_CALLS）。"
          : "Narrow the task; the limit itself is the server's setting (REPORT_MCP_MAX_MODEL_CALLS in the env of this server's entry in your MCP client configuration).";
      case "max_prompt_tokens":
        return language === "zh"
          ? "可以缩小任务范围；该上限是服务器的设置（MCP 客户端配置中该服务器 env 里的 REPORT_MCP_MAX_PROMPT_TOKENS）。"
          : "Narrow the task; the limit itself is the server's setting (REPORT_MCP_MAX_PROMPT_TOKENS in the env of this server's entry in your MCP client configuration).";
    }
  },
  set_price: (hint, language) => {
    const example = JSON.stringify({ [hint.model]: { input: 0.5, output: 1.5, currency: "USD" } });
    return language === "zh"
      ? `价格是服务器的设置：在 MCP 客户端配置中该服务器的 env 里加入 REPORT_MCP_PRICES（每百万 tokens 的金额，例如 ${example}）并重启服务器；或改为传入 max_tokens 参数。`
      : `Prices are the server's settings: add REPORT_MCP_PRICES (money per 1M tokens, e.g. ${example}) to the env of this server's entry in your MCP client configuration and restart it, or pass max_tokens instead of max_cost.`;
  },
} satisfies HintAdvice;

/** A stored job error as an MCP tool shows it: SPEC §6.4 `{type, message}`, the hint rendered into the message. */
export function mcpErrorPayload(error: JobError): ReportErrorPayload {
  return { type: error.type, message: messageWithHint(error, MCP_HINT_ADVICE) };
}
