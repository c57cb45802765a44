import { createParser } from "eventsource-parser";
import { byId, createView, type View } from "./view.js";
import type { ErrorBody, SessionList, SessionView, StreamMessage } from "./wire.js";

/**
 * The web page's script (bundled by the build into /assets/app.js): starts runs over the SSE
 * API, re-attaches with Last-Event-ID when the connection drops, re-opens past sessions, renders
 * Markdown with markdown-it (`html: false`).
 */

type Body = {
  task: string;
  task_type: string;
  auto_confirm: boolean;
  days?: number;
  quality_threshold?: number;
  max_iterations?: number;
  language?: string;
};
type ConfirmBody = {
  approve: boolean;
  outline?: { title: string; sections: Array<{ id: number; name: string; goal: string; queries: string[] }> };
  feedback?: string;
};

const messageOf = (error: unknown): string => String((error instanceof Error && error.message) || error);

function startPage(): void {
  const view: View = createView({ refreshSessions });
  const { t } = view;

  /* ---------- SSE over fetch (POST streams, Last-Event-ID re-attach) ---------- */
  async function readStream(response: Response, runGeneration: number): Promise<void> {
    if (!response.body) return;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const parser = createParser({
      onEvent(event) {
        if (event.id !== undefined && /^\d+$/.test(event.id)) view.state.lastEventId = Number(event.id);
        view.handleMessage(JSON.parse(event.data) as StreamMessage);
      },
    });
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done || runGeneration !== view.generation) return;
      parser.feed(decoder.decode(chunk.value, { stream: true }));
    }
  }
  function consume(response: Response, runGeneration: number): Promise<void> {
    const retry = (): void => {
      if (runGeneration === view.generation && !view.state.ended) reconnect(runGeneration);
    };
    return readStream(response, runGeneration).then(retry, retry);
  }
  function reconnect(runGeneration: number): void {
    view.setMessage(t("connectionLost"));
    view.state.reconnects += 1;
    window.setTimeout(
      () => {
        if (runGeneration === view.generation) attach(runGeneration);
      },
      Math.min(5000, 250 * view.state.reconnects),
    );
  }
  function attach(runGeneration: number): void {
    const state = view.state;
    state.controller = new AbortController();
    fetch(`/mcp/streaming/sessions/${encodeURIComponent(state.sessionId ?? "")}/events`, {
      headers: { "Last-Event-ID": String(state.lastEventId), Accept: "text/event-stream" },
      signal: state.controller.signal,
    })
      .then((response) => {
        // 204: the session ended and we have every event; show its final state from the session.
        if (response.status === 204) {
          if (runGeneration === view.generation && state.sessionId) openSession(state.sessionId);
          return;
        }
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        state.reconnects = 0;
        return consume(response, runGeneration);
      })
      .catch(() => {
        if (runGeneration === view.generation && !view.state.ended) reconnect(runGeneration);
      });
  }

  /* ---------- actions ---------- */
  function postJson(url: string, body: unknown): Promise<Response> {
    return fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  }
  function collectBody(): Body | null {
    const task = byId<HTMLTextAreaElement>("task").value.trim();
    if (!task) {
      byId("form-error").textContent = t("taskRequired");
      return null;
    }
    const body: Body = {
      task,
      task_type: byId<HTMLSelectElement>("task_type").value,
      auto_confirm: byId<HTMLInputElement>("auto_confirm").checked,
    };
    for (const field of ["days", "quality_threshold", "max_iterations"] as const) {
      const raw = byId<HTMLInputElement>(field).value;
      if (raw !== "") body[field] = Number(raw);
    }
    const language = byId<HTMLInputElement>("language").value.trim();
    if (language) body.language = language;
    return body;
  }
  function startRun(event: Event): void {
    event.preventDefault();
    byId("form-error").textContent = "";
    const body = collectBody();
    if (!body) return;
    const runGeneration = view.resetRun(body.task);
    const state = view.state;
    state.controller = new AbortController();
    fetch("/mcp/streaming/orchestrator", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify(body),
      signal: state.controller.signal,
    })
      .then((response) => {
        if (!response.ok) {
          return errorText(response).then((text) => {
            byId("form-error").textContent = text;
            byId("run").hidden = true;
          });
        }
        state.sessionId = response.headers.get("X-Session-Id");
        state.ended = false;
        view.renderStatus();
        return consume(response, runGeneration);
      })
      .catch((error: unknown) => {
        if (runGeneration === view.generation && view.state.sessionId && !view.state.ended) reconnect(runGeneration);
        else if (runGeneration === view.generation) byId("form-error").textContent = messageOf(error);
      });
  }
  /** POSTs an action (cancel, confirm); a refusal (e.g. 409: already decided) is shown, not swallowed. */
  function postAction(url: string, body: unknown): Promise<void> {
    return postJson(url, body).then(
      (response) => (response.ok ? undefined : errorText(response).then(showActionError)),
      (error: unknown) => showActionError(messageOf(error)),
    );
  }
  function showActionError(text: string): void {
    const node = byId("run-error");
    node.hidden = false;
    node.textContent = text;
  }
  function cancelRun(): void {
    const state = view.state;
    if (!state.sessionId || state.ended) return;
    void postAction(`/mcp/streaming/sessions/${encodeURIComponent(state.sessionId)}/cancel`, {});
  }
  function openSession(id: string): void {
    const runGeneration = view.resetRun("");
    fetch(`/mcp/streaming/sessions/${encodeURIComponent(id)}`)
      .then((response) => {
        if (!response.ok) return errorText(response).then((text) => Promise.reject(new Error(text)));
        return response.json() as Promise<SessionView>;
      })
      .then((session) => {
        if (runGeneration !== view.generation) return;
        const state = view.state;
        state.sessionId = session.session_id;
        session.messages.forEach(view.handleMessage);
        state.lastEventId = session.last_event_id;
        state.progress = Math.max(state.progress, session.progress);
        state.status = session.status;
        if (session.status === "awaiting_confirmation") view.showOutline(session.outline || state.outline);
        view.renderProgress();
        view.renderStatus();
        if (session.status === "running" || session.status === "awaiting_confirmation") {
          state.ended = false;
          view.renderStatus();
          attach(runGeneration);
        }
      })
      .catch((error: unknown) => {
        if (runGeneration !== view.generation) return;
        byId("run").hidden = true;
        byId("form-error").textContent = messageOf(error);
      });
  }
  /** The server's own explanation of a failed request (JSON-RPC error data.message), else the status. */
  function errorText(response: Response): Promise<string> {
    return (response.json() as Promise<ErrorBody>).then(
      (payload) => {
        const error = payload?.error ?? {};
        return error.data?.message || error.message || `HTTP ${response.status}`;
      },
      () => `HTTP ${response.status}`,
    );
  }
  function refreshSessions(): void {
    fetch("/mcp/streaming/sessions")
      .then((response) => (response.ok ? (response.json() as Promise<SessionList>) : { sessions: [] }))
      .then((payload) => {
        const list = byId("sessions");
        list.replaceChildren();
        if (!payload.sessions.length) {
          const empty = document.createElement("li");
          empty.textContent = t("noSessions");
          list.appendChild(empty);
        }
        for (const session of payload.sessions) {
          const item = document.createElement("li");
          const button = document.createElement("button");
          button.type = "button";
          button.setAttribute("data-session-id", session.session_id);
          button.textContent = session.title || session.task;
          const meta = document.createElement("span");
          meta.className = "meta";
          meta.textContent = `${t(`status_${session.status}`)} · ${new Date(session.start_time).toLocaleString(view.lang === "zh" ? "zh-CN" : "en")}`;
          button.appendChild(meta);
          button.addEventListener("click", () => openSession(session.session_id));
          item.appendChild(button);
          list.appendChild(item);
        }
      })
      .catch(() => undefined);
  }
  function download(): void {
    const result = view.state.result;
    if (!result) return;
    const blob = new Blob([result.report_content], { type: "text/markdown;charset=utf-8" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = `${
      String(result.title || "report")
        .replace(/[\\/:*?"<>|\s]+/g, "-")
        .slice(0, 80) || "report"
    }.md`;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }
  function decide(approve: boolean): void {
    const state = view.state;
    const body: ConfirmBody = { approve };
    if (approve && state.outline) {
      const outline = state.outline;
      const title = byId<HTMLInputElement>("outline-title").value.trim() || outline.title;
      const inputs = byId("outline-sections").querySelectorAll("input");
      let changed = title !== outline.title;
      const sections = outline.sections.map((section, index) => {
        const input = inputs[index];
        const name = input ? input.value.trim() : section.name;
        if (name && name !== section.name) changed = true;
        return { id: section.id, name: name || section.name, goal: section.goal || "", queries: section.queries || [] };
      });
      if (changed) body.outline = { title, sections };
    }
    if (!approve) {
      const feedback = byId<HTMLInputElement>("feedback").value.trim();
      if (feedback) body.feedback = feedback;
    }
    void postAction(`/mcp/streaming/sessions/${encodeURIComponent(state.sessionId ?? "")}/confirm`, body);
  }

  byId("task-form").addEventListener("submit", startRun);
  byId("cancel").addEventListener("click", cancelRun);
  byId("approve").addEventListener("click", () => decide(true));
  byId("reject").addEventListener("click", () => decide(false));
  byId("download").addEventListener("click", download);
  byId("refresh-sessions").addEventListener("click", refreshSessions);
  byId("lang-toggle").addEventListener("click", () => view.toggleLanguage());
  view.applyLanguage();
  refreshSessions();
  const fromHash = /^#session=(.+)$/.exec(window.location.hash);
  if (fromHash?.[1]) openSession(decodeURIComponent(fromHash[1]));
}

startPage();
