import { PAGE_I18N } from "./page-i18n.js";
import { VIEW_SCRIPT } from "./page-view.js";

/**
 * The web page's script (served as /assets/app.js): starts runs over the SSE API, re-attaches
 * with Last-Event-ID when the connection drops, re-opens past sessions, renders Markdown with
 * markdown-it (`html: false`). Plain ES5-style browser JavaScript: no build step, no CDN.
 */
const ACTIONS_SCRIPT = String.raw`
  /* ---------- SSE over fetch (POST streams, Last-Event-ID re-attach) ---------- */
  function readStream(response, runGeneration) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done || runGeneration !== generation) return;
        buffer += decoder.decode(chunk.value, { stream: true });
        var match;
        while ((match = /\r?\n\r?\n/.exec(buffer))) {
          var block = buffer.slice(0, match.index);
          buffer = buffer.slice(match.index + match[0].length);
          handleBlock(block);
        }
        return pump();
      });
    }
    return pump();
  }
  function handleBlock(block) {
    var id = null;
    var data = [];
    block.split(/\r?\n/).forEach(function (line) {
      if (line === "" || line.charAt(0) === ":") return;
      var colon = line.indexOf(":");
      var field = colon < 0 ? line : line.slice(0, colon);
      var value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "id") id = value;
      else if (field === "data") data.push(value);
    });
    if (!data.length) return;
    if (id !== null && /^\d+$/.test(id)) state.lastEventId = Number(id);
    handleMessage(JSON.parse(data.join("\n")));
  }
  function consume(response, runGeneration) {
    return readStream(response, runGeneration).then(function () {
      if (runGeneration === generation && !state.ended) reconnect(runGeneration);
    }, function () {
      if (runGeneration === generation && !state.ended) reconnect(runGeneration);
    });
  }
  function reconnect(runGeneration) {
    setMessage(t("connectionLost"));
    state.reconnects += 1;
    window.setTimeout(function () { if (runGeneration === generation) attach(runGeneration); }, Math.min(5000, 250 * state.reconnects));
  }
  function attach(runGeneration) {
    state.controller = new AbortController();
    fetch("/mcp/streaming/sessions/" + encodeURIComponent(state.sessionId) + "/events", {
      headers: { "Last-Event-ID": String(state.lastEventId), Accept: "text/event-stream" }, signal: state.controller.signal
    }).then(function (response) {
      // 204: the session ended and we have every event; show its final state from the session.
      if (response.status === 204) { if (runGeneration === generation) openSession(state.sessionId); return; }
      if (!response.ok) throw new Error("HTTP " + response.status);
      state.reconnects = 0;
      return consume(response, runGeneration);
    }).catch(function () {
      if (runGeneration === generation && !state.ended) reconnect(runGeneration);
    });
  }

  /* ---------- actions ---------- */
  function postJson(url, body) {
    return fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  }
  function collectBody() {
    var task = byId("task").value.trim();
    if (!task) { byId("form-error").textContent = t("taskRequired"); return null; }
    var body = { task: task, task_type: byId("task_type").value, auto_confirm: byId("auto_confirm").checked };
    [["days", true], ["quality_threshold", false], ["max_iterations", true]].forEach(function (field) {
      var raw = byId(field[0]).value;
      if (raw !== "") body[field[0]] = Number(raw);
    });
    var language = byId("language").value.trim();
    if (language) body.language = language;
    return body;
  }
  function startRun(event) {
    event.preventDefault();
    byId("form-error").textContent = "";
    var body = collectBody();
    if (!body) return;
    var runGeneration = resetRun(body.task);
    state.controller = new AbortController();
    fetch("/mcp/streaming/orchestrator", {
      method: "POST", headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify(body), signal: state.controller.signal
    }).then(function (response) {
      if (!response.ok) {
        return errorText(response).then(function (text) {
          byId("form-error").textContent = text;
          byId("run").hidden = true;
        });
      }
      state.sessionId = response.headers.get("X-Session-Id");
      state.ended = false;
      renderStatus();
      return consume(response, runGeneration);
    }).catch(function (error) {
      if (runGeneration === generation && state.sessionId && !state.ended) reconnect(runGeneration);
      else if (runGeneration === generation) byId("form-error").textContent = String(error && error.message || error);
    });
  }
  /** POSTs an action (cancel, confirm); a refusal (e.g. 409: already decided) is shown, not swallowed. */
  function postAction(url, body) {
    return postJson(url, body).then(function (response) {
      if (!response.ok) return errorText(response).then(showActionError);
    }, function (error) { showActionError(String(error && error.message || error)); });
  }
  function showActionError(text) {
    var node = byId("run-error");
    node.hidden = false;
    node.textContent = text;
  }
  function cancelRun() {
    if (!state.sessionId || state.ended) return;
    postAction("/mcp/streaming/sessions/" + encodeURIComponent(state.sessionId) + "/cancel", {});
  }
  function openSession(id) {
    var runGeneration = resetRun("");
    fetch("/mcp/streaming/sessions/" + encodeURIComponent(id)).then(function (response) {
      if (!response.ok) return errorText(response).then(function (text) { throw new Error(text); });
      return response.json();
    }).then(function (session) {
      if (runGeneration !== generation) return;
      state.sessionId = session.session_id;
      session.messages.forEach(handleMessage);
      state.lastEventId = session.last_event_id;
      state.progress = Math.max(state.progress, session.progress);
      state.status = session.status;
      if (session.status === "awaiting_confirmation") showOutline(session.outline || state.outline);
      renderProgress(); renderStatus();
      if (session.status === "running" || session.status === "awaiting_confirmation") { state.ended = false; renderStatus(); attach(runGeneration); }
    }).catch(function (error) {
      if (runGeneration !== generation) return;
      byId("run").hidden = true;
      byId("form-error").textContent = String(error && error.message || error);
    });
  }
  /** The server's own explanation of a failed request (JSON-RPC error data.message), else the status. */
  function errorText(response) {
    return response.json().then(function (payload) {
      var error = (payload && payload.error) || {};
      return (error.data && error.data.message) || error.message || "HTTP " + response.status;
    }, function () { return "HTTP " + response.status; });
  }
  function refreshSessions() {
    fetch("/mcp/streaming/sessions").then(function (response) { return response.ok ? response.json() : { sessions: [] }; }).then(function (payload) {
      var list = byId("sessions");
      list.replaceChildren();
      if (!payload.sessions.length) {
        var empty = document.createElement("li");
        empty.textContent = t("noSessions");
        list.appendChild(empty);
      }
      payload.sessions.forEach(function (session) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.setAttribute("data-session-id", session.session_id);
        button.textContent = session.title || session.task;
        var meta = document.createElement("span");
        meta.className = "meta";
        meta.textContent = t("status_" + session.status) + " · " + new Date(session.start_time).toLocaleString(lang === "zh" ? "zh-CN" : "en");
        button.appendChild(meta);
        button.addEventListener("click", function () { openSession(session.session_id); });
        item.appendChild(button);
        list.appendChild(item);
      });
    }).catch(function () { return undefined; });
  }
  function download() {
    if (!state.result) return;
    var blob = new Blob([state.result.report_content], { type: "text/markdown;charset=utf-8" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = (String(state.result.title || "report").replace(/[\\/:*?"<>|\s]+/g, "-").slice(0, 80) || "report") + ".md";
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  byId("task-form").addEventListener("submit", startRun);
  byId("cancel").addEventListener("click", cancelRun);
  byId("approve").addEventListener("click", function () { decide(true); });
  byId("reject").addEventListener("click", function () { decide(false); });
  byId("download").addEventListener("click", download);
  byId("refresh-sessions").addEventListener("click", refreshSessions);
  byId("lang-toggle").addEventListener("click", function () {
    lang = lang === "zh" ? "en" : "zh";
    try { window.localStorage.setItem("report-mcp-lang", lang); } catch (error) { /* private mode */ }
    applyLanguage();
  });
  applyLanguage();
  refreshSessions();
  var fromHash = /^#session=(.+)$/.exec(window.location.hash);
  if (fromHash) openSession(decodeURIComponent(fromHash[1]));
`;

/** The whole browser script: the UI dictionary, then the page logic in one function scope. */
export const PAGE_SCRIPT = `${PAGE_I18N}\n(function () {\n  "use strict";\n${VIEW_SCRIPT}\n${ACTIONS_SCRIPT}\n})();\n`;
