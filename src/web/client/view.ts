import type { PROGRESS_STATUSES } from "../../core/events/index.js";
import type { SeedProgressMsg } from "../../core/events/seed-messages.js";
import type { JobStatus } from "../../core/jobs/types.js";
import type { ReportResult } from "../../core/result.js";
import type { Outline } from "../../core/author.js";
import { completeOutline } from "../../core/outline-shape.js";
import { I18N, type Language, type UiKey } from "./i18n.js";
import type { ErrorMessage, StreamMessage } from "./wire.js";

/** The page's steps, in pipeline order (every status but `warning`). */
type Step = Exclude<(typeof PROGRESS_STATUSES)[number], "warning">;

/**
 * Where the progress bar stands at least once a step is reached. A new status is a compile error
 * until the page places it (and `I18N` names it).
 */
const STEP_PROGRESS = {
  task_started: 2,
  analyzing_intent: 5,
  generating_outline: 12,
  awaiting_confirmation: 16,
  searching: 25,
  assessing_quality: 40,
  supplementing_search: 45,
  generating_sections: 55,
  generating_summary: 88,
  assembling_report: 95,
  task_completed: 100,
} as const satisfies Record<Step, number>;
const STEPS = Object.keys(STEP_PROGRESS) as Step[];
/** Steps shown only once a run reaches them. */
const OPTIONAL_STEPS: ReadonlySet<Step> = new Set(["awaiting_confirmation", "supplementing_search"]);

type MarkdownRenderer = { render(text: string): string };
declare global {
  interface Window {
    markdownit?: (options: { html: boolean; linkify: boolean }) => MarkdownRenderer;
  }
}

export type RunState = {
  sessionId: string | null;
  lastEventId: number;
  ended: boolean;
  status: JobStatus | null;
  progress: number;
  reached: Partial<Record<Step, true>>;
  current: Step | null;
  usage: { input: number; output: number; calls: number; cost: number | null; currency: string };
  outline: Outline | null;
  sectionCount: number;
  result: ReportResult | null;
  controller: AbortController | null;
  reconnects: number;
};

function freshState(): RunState {
  return {
    sessionId: null,
    lastEventId: 0,
    ended: true,
    status: null,
    progress: 0,
    reached: {},
    current: null,
    usage: { input: 0, output: 0, calls: 0, cost: null, currency: "" },
    outline: null,
    sectionCount: 0,
    result: null,
    controller: null,
    reconnects: 0,
  };
}

export function byId<Element extends HTMLElement = HTMLElement>(id: string): Element {
  const node = document.getElementById(id);
  if (!node) throw new Error(`The page lacks #${id}`);
  return node as Element;
}

function pickLanguage(): Language {
  let saved: string | null;
  try {
    saved = window.localStorage.getItem("report-mcp-lang");
  } catch {
    saved = null; // storage blocked (private mode, sandboxed frame): fall back to the browser's language
  }
  if (saved === "zh" || saved === "en") return saved;
  const preferred = navigator.languages?.[0] || navigator.language || "en";
  return /^zh/i.test(preferred) ? "zh" : "en";
}

/** A corpus citation (file:///…) opens through the server's read-only document route. */
export function corpusHref(url: string): string {
  return `/corpus/document?url=${encodeURIComponent(url)}`;
}

function linkCorpusFiles(text: string): string {
  return String(text || "").replace(
    /\]\(<?(file:\/\/\/[^)>\s]+)>?\)/g,
    (_whole, url: string) => `](${corpusHref(url)})`,
  );
}

export type ViewDeps = {
  refreshSessions(): void;
};

/** State, rendering, and the handling of the four message shapes (SPEC §6). */
export function createView(deps: ViewDeps) {
  let lang = pickLanguage();
  const markdown = window.markdownit ? window.markdownit({ html: false, linkify: true }) : null;
  let generation = 0;
  let state = freshState();

  const t = (key: string): string => I18N[lang][key as UiKey] || I18N.en[key as UiKey] || key;

  function applyLanguage(): void {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.querySelectorAll("[data-i18n]").forEach((node) => {
      node.textContent = t(node.getAttribute("data-i18n") ?? "");
    });
    document.querySelectorAll("[data-i18n-placeholder]").forEach((node) => {
      node.setAttribute("placeholder", t(node.getAttribute("data-i18n-placeholder") ?? ""));
    });
    byId("lang-toggle").textContent = t("toggle");
    renderSteps();
    renderStatus();
    if (state.sessionId) deps.refreshSessions();
  }
  function renderMarkdown(target: HTMLElement, text: string): void {
    if (markdown) {
      target.innerHTML = markdown.render(linkCorpusFiles(text));
      return;
    }
    const pre = document.createElement("pre");
    pre.textContent = text || "";
    target.replaceChildren(pre);
  }
  function setMessage(text: string): void {
    byId("message").textContent = text || "";
  }
  function setStatus(status: JobStatus): void {
    state.status = status;
    renderStatus();
  }
  function renderStatus(): void {
    const node = byId("status");
    node.setAttribute("data-status", state.status || "");
    node.textContent = state.status ? t(`status_${state.status}`) : "";
    byId<HTMLButtonElement>("cancel").disabled = state.ended || !state.sessionId;
  }
  function renderProgress(): void {
    byId<HTMLProgressElement>("progress").value = Math.round(state.progress);
  }
  function renderUsage(): void {
    byId("usage-in").textContent = String(state.usage.input);
    byId("usage-out").textContent = String(state.usage.output);
    byId("usage-calls").textContent = String(state.usage.calls);
    byId("usage-cost").textContent =
      state.usage.cost === null ? "–" : `${state.usage.cost.toFixed(4)} ${state.usage.currency}`;
  }
  function renderSteps(): void {
    const list = byId("steps");
    list.replaceChildren();
    const currentIndex = state.current ? STEPS.indexOf(state.current) : -1;
    STEPS.forEach((step, index) => {
      if (OPTIONAL_STEPS.has(step) && !state.reached[step]) return;
      const item = document.createElement("li");
      item.setAttribute("data-status", step);
      const done = state.status === "completed" || (state.reached[step] && index < currentIndex);
      const current = step === state.current;
      // A failed or cancelled run stopped during its current step: that step did not finish.
      const stopped = current && state.ended && (state.status === "failed" || state.status === "cancelled");
      item.setAttribute(
        "data-state",
        done
          ? "done"
          : stopped
            ? "stopped"
            : current && !state.ended
              ? "active"
              : state.reached[step]
                ? "done"
                : "pending",
      );
      item.textContent = t(`step_${step}`);
      list.appendChild(item);
    });
  }
  function resetRun(title: string): number {
    generation += 1;
    state.controller?.abort();
    state = freshState();
    byId("run").hidden = false;
    byId("report-panel").hidden = true;
    byId("confirm").hidden = true;
    byId("run-error").hidden = true;
    byId("run-title").textContent = title || t("run");
    for (const id of ["sections", "warnings", "sources", "report"]) byId(id).replaceChildren();
    setMessage("");
    renderProgress();
    renderUsage();
    renderSteps();
    renderStatus();
    return generation;
  }

  /* ---------- the four message shapes ---------- */
  function handleMessage(message: StreamMessage): void {
    if ("method" in message && message.method === "session/started") {
      state.sessionId = message.params.session_id;
      state.ended = false;
      byId("run-title").textContent = message.params.task;
      setStatus("running");
      window.history?.replaceState?.(null, "", `#session=${encodeURIComponent(state.sessionId)}`);
      deps.refreshSessions();
      return;
    }
    if ("method" in message) {
      const msg = message.params.data.msg;
      if ("type" in msg) {
        state.usage.input += Number(msg.data.input_tokens) || 0;
        state.usage.output += Number(msg.data.output_tokens) || 0;
        state.usage.calls += 1;
        if (msg.data.cost) {
          state.usage.cost = (state.usage.cost ?? 0) + msg.data.cost.amount;
          state.usage.currency = msg.data.cost.currency;
        }
        renderUsage();
        return;
      }
      onProgress(msg);
      return;
    }
    if ("result" in message) onResult(message.result.structuredContent);
    else onError(message.error);
  }
  function onProgress(msg: SeedProgressMsg): void {
    if (msg.status === "warning") {
      const warning = document.createElement("li");
      warning.textContent = msg.message;
      byId("warnings").appendChild(warning);
      return;
    }
    state.current = msg.status;
    state.reached[msg.status] = true;
    if ((msg.status === "generating_outline" || msg.status === "awaiting_confirmation") && msg.details.outline)
      state.outline = completeOutline(msg.details.outline);
    if (msg.status === "generating_sections" && typeof msg.details.content === "string") {
      const { id, name, content } = msg.details;
      if (typeof id === "number" && typeof name === "string") addSection({ id, content });
    }
    let floor: number = STEP_PROGRESS[msg.status];
    if (msg.status === "generating_sections" && state.outline?.sections.length) {
      floor = 55 + 30 * Math.min(1, state.sectionCount / state.outline.sections.length);
    }
    state.progress = Math.max(state.progress, floor);
    if (msg.status === "awaiting_confirmation" && !state.ended) {
      setStatus("awaiting_confirmation");
      showOutline(state.outline);
      deps.refreshSessions();
    } else if (state.status === "awaiting_confirmation") {
      setStatus("running");
      byId("confirm").hidden = true;
    }
    setMessage(msg.message);
    renderProgress();
    renderSteps();
  }
  /** Shows a finished section; with replace (the final result) it re-renders one already shown, so the panel shows the report text. */
  function addSection(section: { id: number; content: string }, replace = false): void {
    const existing = byId("sections").querySelector<HTMLElement>(
      `article[data-section-id='${String(Number(section.id))}']`,
    );
    if (existing) {
      if (replace) renderMarkdown(existing, section.content);
      return;
    }
    state.sectionCount += 1;
    const article = document.createElement("article");
    article.setAttribute("data-section-id", String(section.id));
    renderMarkdown(article, section.content);
    byId("sections").appendChild(article);
  }
  function onResult(result: ReportResult): void {
    state.result = result;
    if (result.metadata.cost) {
      state.usage.cost = result.metadata.cost.amount;
      state.usage.currency = result.metadata.cost.currency;
      renderUsage();
    }
    state.ended = true;
    state.progress = 100;
    state.current = "task_completed";
    state.reached.task_completed = true;
    setStatus("completed");
    byId("confirm").hidden = true;
    for (const section of result.sections ?? []) addSection(section, true);
    renderMarkdown(byId("report"), result.report_content);
    const sources = byId("sources");
    sources.replaceChildren();
    for (const source of result.sources ?? []) {
      const item = document.createElement("li");
      item.value = source.id;
      const link = document.createElement("a");
      link.href = /^https?:/i.test(source.url) ? source.url : /^file:/i.test(source.url) ? corpusHref(source.url) : "#";
      link.rel = "noopener noreferrer";
      link.target = "_blank";
      link.textContent = source.title || source.url;
      const meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = ` — ${source.provider}${source.published_at ? `, ${String(source.published_at).slice(0, 10)}` : ""}`;
      item.append(link, meta);
      sources.appendChild(item);
    }
    byId("report-panel").hidden = false;
    renderProgress();
    renderSteps();
    deps.refreshSessions();
  }
  function onError(error: ErrorMessage["error"]): void {
    const data: Partial<ErrorMessage["error"]["data"]> = error.data ?? {};
    state.ended = true;
    setStatus(data.type === "cancelled" ? "cancelled" : "failed");
    byId("confirm").hidden = true;
    const node = byId("run-error");
    node.hidden = false;
    node.textContent = `[${data.type || error.code}] ${data.message || error.message}`;
    renderSteps();
    deps.refreshSessions();
  }

  /* ---------- outline confirmation ---------- */
  function showOutline(outline: Outline | null): void {
    if (!outline) return;
    byId("confirm").hidden = false;
    byId<HTMLInputElement>("outline-title").value = outline.title;
    const list = byId("outline-sections");
    list.replaceChildren();
    for (const section of outline.sections) {
      const item = document.createElement("li");
      const input = document.createElement("input");
      input.type = "text";
      input.maxLength = 300;
      input.value = section.name;
      input.setAttribute("data-section-id", String(section.id));
      item.appendChild(input);
      list.appendChild(item);
    }
  }

  return {
    get state(): RunState {
      return state;
    },
    get generation(): number {
      return generation;
    },
    get lang(): Language {
      return lang;
    },
    toggleLanguage(): void {
      lang = lang === "zh" ? "en" : "zh";
      try {
        window.localStorage.setItem("report-mcp-lang", lang);
      } catch {
        /* private mode */
      }
      applyLanguage();
    },
    t,
    applyLanguage,
    setMessage,
    renderStatus,
    renderProgress,
    resetRun,
    handleMessage,
    showOutline,
  };
}

export type View = ReturnType<typeof createView>;
