import { messageWithHint, type HintAdvice } from "../core/errors.js";
import type { JobError } from "../core/jobs/index.js";
import type { ReportErrorPayload } from "../core/result.js";

/**
 * Error hints in an HTTP client's terms: fields of the request body (`days`, `max_iterations`,
 * at top level or under `kwargs`) and, for what only the server's settings decide, whoever runs
 * the server. Never a command-line flag or an MCP tool argument.
 */
export const HTTP_HINT_ADVICE = {
  configure_search: (_hint, language) =>
    language === "zh"
      ? "请求体中没有可以提供检索来源的字段：需由运行此服务器的人为其设置网络搜索密钥（TAVILY_API_KEY、BRAVE_API_KEY，或 GOOGLE_API_KEY 加 GOOGLE_CSE_ID）或本地资料文件夹（REPORT_MCP_CORPUS），然后重启服务器。"
      : "No request body field can supply one: whoever runs this server must give it a web search key (TAVILY_API_KEY, BRAVE_API_KEY, or GOOGLE_API_KEY with GOOGLE_CSE_ID) or a folder of documents (REPORT_MCP_CORPUS) and restart it.",
  raise_setting: (hint, language) => {
    switch (hint.setting) {
      case "timeout":
        return language === "zh"
          ? "可以在请求体中传入更小的 max_iterations 或缩小任务范围；时限本身由运行此服务器的人设置（REPORT_MCP_TIMEOUT，单位为秒）。"
          : "Send a lower max_iterations in the request body or narrow the task; the limit itself is set by whoever runs this server (REPORT_MCP_TIMEOUT, in seconds).";
      case "days": {
        const window =
          hint.value === undefined
            ? ""
            : language === "zh"
              ? `，本次为 ${hint.value}`
              : `; this run used ${hint.value}`;
        return language === "zh"
          ? `可以换一种说法，或在请求体中传入更大的 days（顶层或 kwargs 中）扩大时间范围${window}。`
          : `Try other wording, or send a larger days field in the request body (top level or under kwargs) for a wider time window${window}.`;
      }
      case "budget":
        return language === "zh"
          ? "可以在请求体中传入更大的 max_tokens 或 max_cost（顶层或 kwargs 中），或缩小任务范围。"
          : "Send a larger max_tokens or max_cost in the request body (top level or under kwargs), or narrow the task.";
      case "max_model_calls":
        return language === "zh"
          ? "可以缩小任务范围；该上限由运行此服务器的人设置（REPORT_MCP_MAX_MODEL_CALLS）。"
          : "Narrow the task; the limit itself is set by whoever runs this server (REPORT_MCP_MAX_MODEL_CALLS).";
      case "max_prompt_tokens":
        return language === "zh"
          ? "可以缩小任务范围；该上限由运行此服务器的人设置（REPORT_MCP_MAX_PROMPT_TOKENS）。"
          : "Narrow the task; the limit itself is set by whoever runs this server (REPORT_MCP_MAX_PROMPT_TOKENS).";
    }
  },
  set_price: (hint, language) => {
    const example = JSON.stringify({ [hint.model]: { input: 0.5, output: 1.5, currency: "USD" } });
    return language === "zh"
      ? `价格由运行此服务器的人设置（REPORT_MCP_PRICES，每百万 tokens 的金额，例如 ${example}）；或在请求体中改用 max_tokens。`
      : `Prices are set by whoever runs this server (REPORT_MCP_PRICES, money per 1M tokens, e.g. ${example}); or send max_tokens instead of max_cost.`;
  },
} satisfies HintAdvice;

/** A stored job error as the HTTP API shows it: SPEC §6.4 `{type, message}`, the hint rendered into the message. */
export function httpErrorPayload(error: JobError): ReportErrorPayload {
  return { type: error.type, message: messageWithHint(error, HTTP_HINT_ADVICE) };
}
