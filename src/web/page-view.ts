/**
 * Browser script fragments of the web page: state, rendering, and the handling of the four
 * message shapes (SPEC §6). Concatenated inside one function scope by page-script.ts.
 */
export const VIEW_SCRIPT = String.raw`
  var STEPS = ["task_started", "analyzing_intent", "generating_outline", "awaiting_confirmation", "searching", "assessing_quality",
    "supplementing_search", "generating_sections", "generating_summary", "assembling_report", "task_completed"];
  var STEP_PROGRESS = { task_started: 2, analyzing_intent: 5, generating_outline: 12, awaiting_confirmation: 16, searching: 25,
    assessing_quality: 40, supplementing_search: 45, generating_sections: 55, generating_summary: 88, assembling_report: 95, task_completed: 100 };
  var lang = pickLanguage();
  var markdown = window.markdownit ? window.markdownit({ html: false, linkify: true }) : null;
  var generation = 0;
  var state = freshState();

  function byId(id) { return document.getElementById(id); }
  function freshState() {
    return { sessionId: null, lastEventId: 0, ended: true, status: null, progress: 0, reached: {}, current: null,
      usage: { input: 0, output: 0, calls: 0, cost: null, currency: "" }, outline: null, sectionIds: {}, sectionCount: 0, result: null, controller: null, reconnects: 0 };
  }
  function pickLanguage() {
    var saved = null;
    try { saved = window.localStorage.getItem("report-mcp-lang"); } catch (error) { saved = null; }
    if (saved === "zh" || saved === "en") return saved;
    var preferred = (navigator.languages && navigator.languages[0]) || navigator.language || "en";
    return /^zh/i.test(preferred) ? "zh" : "en";
  }
  function t(key) { return (I18N[lang] && I18N[lang][key]) || I18N.en[key] || key; }
  function applyLanguage() {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    Array.prototype.forEach.call(document.querySelectorAll("[data-i18n]"), function (node) { node.textContent = t(node.getAttribute("data-i18n")); });
    Array.prototype.forEach.call(document.querySelectorAll("[data-i18n-placeholder]"), function (node) { node.setAttribute("placeholder", t(node.getAttribute("data-i18n-placeholder"))); });
    byId("lang-toggle").textContent = t("toggle");
    renderSteps();
    renderStatus();
    if (state.sessionId) refreshSessions();
  }
  /* A corpus citation (file:///…) opens through the server's read-only document route. */
  function corpusHref(url) { return "/corpus/document?url=" + encodeURIComponent(url); }
  function linkCorpusFiles(text) {
    return String(text || "").replace(/\]\(<?(file:\/\/\/[^)>\s]+)>?\)/g, function (whole, url) { return "](" + corpusHref(url) + ")"; });
  }
  function renderMarkdown(target, text) {
    if (markdown) { target.innerHTML = markdown.render(linkCorpusFiles(text)); return; }
    var pre = document.createElement("pre");
    pre.textContent = text || "";
    target.replaceChildren(pre);
  }
  function setMessage(text) { byId("message").textContent = text || ""; }
  function setStatus(status) { state.status = status; renderStatus(); }
  function renderStatus() {
    var node = byId("status");
    node.setAttribute("data-status", state.status || "");
    node.textContent = state.status ? t("status_" + state.status) : "";
    byId("cancel").disabled = state.ended || !state.sessionId;
  }
  function renderProgress() { byId("progress").value = Math.round(state.progress); }
  function renderUsage() {
    byId("usage-in").textContent = String(state.usage.input);
    byId("usage-out").textContent = String(state.usage.output);
    byId("usage-calls").textContent = String(state.usage.calls);
    byId("usage-cost").textContent = state.usage.cost === null ? "–" : state.usage.cost.toFixed(4) + " " + state.usage.currency;
  }
  function renderSteps() {
    var list = byId("steps");
    list.replaceChildren();
    var currentIndex = STEPS.indexOf(state.current);
    STEPS.forEach(function (step, index) {
      if (step === "awaiting_confirmation" && !state.reached[step]) return;
      if (step === "supplementing_search" && !state.reached[step]) return;
      var item = document.createElement("li");
      item.setAttribute("data-status", step);
      var done = state.status === "completed" || (state.reached[step] && index < currentIndex);
      var current = step === state.current;
      // A failed or cancelled run stopped during its current step: that step did not finish.
      var stopped = current && state.ended && (state.status === "failed" || state.status === "cancelled");
      item.setAttribute("data-state", done ? "done" : stopped ? "stopped" : current && !state.ended ? "active" : state.reached[step] ? "done" : "pending");
      item.textContent = t("step_" + step);
      list.appendChild(item);
    });
  }
  function resetRun(title) {
    generation += 1;
    if (state.controller) state.controller.abort();
    state = freshState();
    byId("run").hidden = false;
    byId("report-panel").hidden = true;
    byId("confirm").hidden = true;
    byId("run-error").hidden = true;
    byId("run-title").textContent = title || t("run");
    byId("sections").replaceChildren();
    byId("warnings").replaceChildren();
    byId("sources").replaceChildren();
    byId("report").replaceChildren();
    setMessage("");
    renderProgress(); renderUsage(); renderSteps(); renderStatus();
    return generation;
  }

  /* ---------- the four message shapes ---------- */
  function handleMessage(message) {
    if (message.method === "session/started") {
      state.sessionId = message.params.session_id;
      state.ended = false;
      byId("run-title").textContent = message.params.task;
      setStatus("running");
      if (window.history && window.history.replaceState) window.history.replaceState(null, "", "#session=" + encodeURIComponent(state.sessionId));
      refreshSessions();
      return;
    }
    if (message.method === "notifications/message") {
      var msg = message.params && message.params.data && message.params.data.msg;
      if (!msg) return;
      if (msg.type === "model_usage") {
        state.usage.input += Number(msg.data.input_tokens) || 0;
        state.usage.output += Number(msg.data.output_tokens) || 0;
        state.usage.calls += 1;
        if (msg.data.cost && typeof msg.data.cost.amount === "number") {
          state.usage.cost = (state.usage.cost || 0) + msg.data.cost.amount;
          state.usage.currency = String(msg.data.cost.currency || "");
        }
        renderUsage();
        return;
      }
      onProgress(msg);
      return;
    }
    if (message.result) onResult(message.result.structuredContent);
    else if (message.error) onError(message.error);
  }
  function onProgress(msg) {
    var details = msg.details || {};
    if (msg.status === "warning") {
      var warning = document.createElement("li");
      warning.textContent = msg.message;
      byId("warnings").appendChild(warning);
      return;
    }
    state.current = msg.status;
    state.reached[msg.status] = true;
    if (details.outline && details.outline.sections) state.outline = details.outline;
    if (msg.status === "generating_sections" && typeof details.content === "string") addSection(details);
    var floor = STEP_PROGRESS[msg.status] || 0;
    if (msg.status === "generating_sections" && state.outline && state.outline.sections.length) {
      floor = 55 + 30 * Math.min(1, state.sectionCount / state.outline.sections.length);
    }
    state.progress = Math.max(state.progress, floor);
    if (msg.status === "awaiting_confirmation" && !state.ended) {
      setStatus("awaiting_confirmation");
      showOutline(state.outline);
      refreshSessions();
    } else if (state.status === "awaiting_confirmation") {
      setStatus("running");
      byId("confirm").hidden = true;
    }
    setMessage(msg.message);
    renderProgress();
    renderSteps();
  }
  /* Shows a finished section; with replace (the final result) it re-renders one already shown, so the panel shows the report text. */
  function addSection(section, replace) {
    var existing = byId("sections").querySelector("article[data-section-id='" + String(Number(section.id)) + "']");
    if (existing) {
      if (replace) renderMarkdown(existing, section.content);
      return;
    }
    state.sectionIds[section.id] = true;
    state.sectionCount += 1;
    var article = document.createElement("article");
    article.setAttribute("data-section-id", String(section.id));
    renderMarkdown(article, section.content);
    byId("sections").appendChild(article);
  }
  function onResult(result) {
    state.result = result;
    var cost = result && result.metadata && result.metadata.cost;
    if (cost && typeof cost.amount === "number") { state.usage.cost = cost.amount; state.usage.currency = String(cost.currency || ""); renderUsage(); }
    state.ended = true;
    state.progress = 100;
    state.current = "task_completed";
    state.reached.task_completed = true;
    setStatus("completed");
    byId("confirm").hidden = true;
    if (result.sections) result.sections.forEach(function (section) { addSection(section, true); });
    renderMarkdown(byId("report"), result.report_content);
    var sources = byId("sources");
    sources.replaceChildren();
    (result.sources || []).forEach(function (source) {
      var item = document.createElement("li");
      item.value = source.id;
      var link = document.createElement("a");
      link.href = /^https?:/i.test(source.url) ? source.url : /^file:/i.test(source.url) ? corpusHref(source.url) : "#";
      link.rel = "noopener noreferrer";
      link.target = "_blank";
      link.textContent = source.title || source.url;
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = " — " + source.provider + (source.published_at ? ", " + String(source.published_at).slice(0, 10) : "");
      item.append(link, meta);
      sources.appendChild(item);
    });
    byId("report-panel").hidden = false;
    renderProgress();
    renderSteps();
    refreshSessions();
  }
  function onError(error) {
    var data = error.data || {};
    state.ended = true;
    setStatus(data.type === "cancelled" ? "cancelled" : "failed");
    byId("confirm").hidden = true;
    var node = byId("run-error");
    node.hidden = false;
    node.textContent = "[" + (data.type || error.code) + "] " + (data.message || error.message);
    renderSteps();
    refreshSessions();
  }

  /* ---------- outline confirmation ---------- */
  function showOutline(outline) {
    if (!outline) return;
    byId("confirm").hidden = false;
    byId("outline-title").value = outline.title;
    var list = byId("outline-sections");
    list.replaceChildren();
    outline.sections.forEach(function (section) {
      var item = document.createElement("li");
      var input = document.createElement("input");
      input.type = "text";
      input.maxLength = 300;
      input.value = section.name;
      input.setAttribute("data-section-id", String(section.id));
      item.appendChild(input);
      list.appendChild(item);
    });
  }
  function decide(approve) {
    var body = { approve: approve };
    if (approve && state.outline) {
      var title = byId("outline-title").value.trim() || state.outline.title;
      var inputs = byId("outline-sections").querySelectorAll("input");
      var changed = title !== state.outline.title;
      var sections = state.outline.sections.map(function (section, index) {
        var name = inputs[index] ? inputs[index].value.trim() : section.name;
        if (name && name !== section.name) changed = true;
        return { id: section.id, name: name || section.name, goal: section.goal || "", queries: section.queries || [] };
      });
      if (changed) body.outline = { title: title, sections: sections };
    }
    if (!approve) {
      var feedback = byId("feedback").value.trim();
      if (feedback) body.feedback = feedback;
    }
    postAction("/mcp/streaming/sessions/" + encodeURIComponent(state.sessionId) + "/confirm", body);
  }

`;
