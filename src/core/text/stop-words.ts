/** English function words (lowercase), dropped from index terms, key terms and section terms. */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "a about above after again against all also am an and any are as at be because been before being below between both " +
    "but by can could did do does doing down during each few for from further had has have having he her here hers " +
    "him his how i if in into is it its itself just me more most my no nor not now of off on once only or other our ours " +
    "out over own same she should so some such than that the their theirs them then there these they this those through " +
    "to too under until up very was we were what when where which while who whom why will with would you your yours " +
    "via per upon among within without across toward towards whether yet ever may might must shall s t"
  ).split(/\s+/),
);

/** Chinese function words, dropped the same way. */
export const CHINESE_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "的 了 和 与 及 以及 或 在 是 有 对 为 将 把 被 从 到 中 上 下 也 都 而 并 就 又 等 这 那 其 之 于 以 个 一个 " +
    "我们 你们 他们 它们 我 你 他 她 它 这个 那个 这些 那些 一些 一种 进行 关于 相关 通过 已经 可以 " +
    "不 没有 很 更 最 还 但 但是 因为 所以 如果 虽然 由于 因此 同时 其中 之后 之前 以来 " +
    "每 约 多 些 已 仍 再 会 能 要 让 使 向 由 至 来说 而言 得 地 着 过 吗 呢 吧 啊"
  ).split(/\s+/),
);

/**
 * Words of a request's wording rather than its subject ("write a report on…", "生成…报告",
 * "最近一周"); dropped from key terms only, never from the corpus index.
 */
export const TASK_BOILERPLATE_WORDS: ReadonlySet<string> = new Set(
  (
    "report reports write writing generate create produce give prepare draft summary summarize summarise overview brief " +
    "briefing please me us latest recent recently lately today week weeks month months year years day days last past " +
    "next current currently new news analysis analyze analyse research study industry market in-depth deep dive detailed " +
    "comprehensive short long about regarding around key major main important top trend trends development developments " +
    "event events 生成 撰写 编写 写 写一份 一份 请 帮 帮我 给 报告 分析 研究 总结 概述 综述 简报 领域 方向 最近 近期 " +
    "近 过去 本 今年 去年 一周 一月 一年 个月 天 周 月 年 年度 本周 本月 本年 行业 市场 新闻 事件 动态 重大 主要 重要 " +
    "最新 情况 方面 问题 内容 关于 有关 趋势 发展 进展 现状 深度 详细 全面"
  ).split(/\s+/),
);

/** True when the (already lowercased) term is a function word in English or Chinese. */
export function isStopWord(term: string): boolean {
  return ENGLISH_STOP_WORDS.has(term) || CHINESE_STOP_WORDS.has(term);
}
