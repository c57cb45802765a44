import type { ProgressStatus } from "../../core/events/index.js";
import type { JobStatus } from "../../core/jobs/types.js";

/**
 * Every job status and every pipeline step has its label (`status_…`, `step_…`): a new status is
 * a compile error until the page names it.
 */
type StatusKeys = `status_${JobStatus}` | `step_${Exclude<ProgressStatus, "warning">}`;

function labelled<Labels extends Record<StatusKeys, string>>(labels: Labels): Labels {
  return labels;
}

/** UI strings of the web page in English and Chinese; `data-i18n` attributes name the keys. */
const EN = labelled({
  tagline: "Cited research reports from a one-line task", pastSessions: "Past sessions", refresh: "Refresh",
  taskLabel: "Task", taskPlaceholder: "e.g. State of solid-state batteries in 2026", taskType: "Report type",
  typeAuto: "Auto", typeNews: "News report", typeResearch: "Research report", typeIndustry: "Industry analysis",
  days: "Days", daysPlaceholder: "from the task, else 7", threshold: "Quality threshold", iterations: "Max iterations",
  language: "Language", languagePlaceholder: "the task's own", autoConfirm: "Write without outline approval",
  start: "Start", cancel: "Cancel", run: "Run", steps: "Steps", usage: "Token usage", inputTokens: "Input",
  outputTokens: "Output", modelCalls: "Model calls", cost: "Cost", confirmTitle: "Approve the outline", approve: "Approve",
  reject: "Reject", feedbackPlaceholder: "Why reject? (optional)", sections: "Sections", report: "Report",
  download: "Download .md", sources: "Sources", noSessions: "No sessions yet.", taskRequired: "Enter a task first.",
  connectionLost: "Connection lost; reconnecting…", toggle: "中文",
  status_running: "running", status_awaiting_confirmation: "awaiting confirmation", status_completed: "completed",
  status_failed: "failed", status_cancelled: "cancelled",
  step_task_started: "Task started", step_analyzing_intent: "Analysing intent", step_generating_outline: "Planning the outline",
  step_awaiting_confirmation: "Awaiting outline approval", step_searching: "Searching", step_assessing_quality: "Assessing quality",
  step_supplementing_search: "Filling gaps", step_generating_sections: "Writing sections", step_generating_summary: "Writing the summary",
  step_assembling_report: "Assembling the report", step_task_completed: "Done"
} as const);

export type UiKey = keyof typeof EN;


const ZH = {
  tagline: "一句话任务，生成带引用的研究报告", pastSessions: "历史会话", refresh: "刷新",
  taskLabel: "任务", taskPlaceholder: "例如：生成AI Agent领域最近一周的行业重大事件报告", taskType: "报告类型",
  typeAuto: "自动", typeNews: "新闻报告", typeResearch: "研究报告", typeIndustry: "行业分析",
  days: "天数", daysPlaceholder: "按任务推断，默认 7", threshold: "质量门槛", iterations: "最大迭代次数",
  language: "语言", languagePlaceholder: "与任务相同", autoConfirm: "无需确认大纲，直接撰写",
  start: "开始", cancel: "取消", run: "运行", steps: "步骤", usage: "Token 用量", inputTokens: "输入",
  outputTokens: "输出", modelCalls: "模型调用", cost: "费用", confirmTitle: "确认报告大纲", approve: "确认",
  reject: "驳回", feedbackPlaceholder: "驳回原因（可选）", sections: "章节", report: "报告",
  download: "下载 .md", sources: "来源", noSessions: "暂无会话。", taskRequired: "请先输入任务。",
  connectionLost: "连接中断，正在重连…", toggle: "English",
  status_running: "运行中", status_awaiting_confirmation: "等待确认", status_completed: "已完成",
  status_failed: "失败", status_cancelled: "已取消",
  step_task_started: "任务开始", step_analyzing_intent: "意图识别", step_generating_outline: "生成大纲",
  step_awaiting_confirmation: "等待确认大纲", step_searching: "检索资料", step_assessing_quality: "质量评估",
  step_supplementing_search: "补充检索", step_generating_sections: "撰写章节", step_generating_summary: "撰写摘要",
  step_assembling_report: "组装报告", step_task_completed: "完成"
} as const satisfies Record<UiKey, string>;

export const I18N = { en: EN, zh: ZH } as const satisfies Record<"en" | "zh", Record<UiKey, string>>;
export type Language = keyof typeof I18N;
