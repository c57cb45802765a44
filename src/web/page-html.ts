/**
 * The web page's HTML shell. Text is filled in by the script (English or Chinese, following
 * navigator.language, with a toggle); `data-i18n` names the dictionary key of each label.
 */
export const PAGE_HTML = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>report-mcp</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/markdown-it.min.js" defer></script>
<script src="/assets/app.js" defer></script>
</head>
<body>
<header class="bar">
  <h1>report-mcp</h1>
  <span class="tagline" data-i18n="tagline">Cited research reports from a one-line task</span>
  <button type="button" id="lang-toggle" class="link">中文</button>
</header>
<div class="layout">
  <aside class="panel" id="history">
    <div class="row spread">
      <h2 data-i18n="pastSessions">Past sessions</h2>
      <button type="button" id="refresh-sessions" class="link" data-i18n="refresh">Refresh</button>
    </div>
    <ul id="sessions" class="sessions"></ul>
  </aside>
  <main>
    <form id="task-form" class="panel" autocomplete="off">
      <label for="task" data-i18n="taskLabel">Task</label>
      <textarea id="task" name="task" rows="2" maxlength="2000" required data-i18n-placeholder="taskPlaceholder"></textarea>
      <div class="options">
        <label><span data-i18n="taskType">Report type</span>
          <select id="task_type" name="task_type">
            <option value="auto" data-i18n="typeAuto">Auto</option>
            <option value="news_report" data-i18n="typeNews">News report</option>
            <option value="research_report" data-i18n="typeResearch">Research report</option>
            <option value="industry_analysis" data-i18n="typeIndustry">Industry analysis</option>
          </select>
        </label>
        <label><span data-i18n="days">Days</span><input id="days" name="days" type="number" min="1" max="3650" step="1" data-i18n-placeholder="daysPlaceholder"></label>
        <label><span data-i18n="threshold">Quality threshold</span><input id="quality_threshold" name="quality_threshold" type="number" min="0" max="10" step="0.1" value="7"></label>
        <label><span data-i18n="iterations">Max iterations</span><input id="max_iterations" name="max_iterations" type="number" min="1" max="10" step="1" value="3"></label>
        <label><span data-i18n="language">Language</span><input id="language" name="language" type="text" maxlength="35" data-i18n-placeholder="languagePlaceholder"></label>
        <label class="check"><input id="auto_confirm" name="auto_confirm" type="checkbox" checked><span data-i18n="autoConfirm">Write without outline approval</span></label>
      </div>
      <div class="row">
        <button type="submit" id="start" class="primary" data-i18n="start">Start</button>
        <button type="button" id="cancel" class="danger" disabled data-i18n="cancel">Cancel</button>
        <span id="form-error" class="error" role="alert"></span>
      </div>
    </form>

    <section id="run" class="panel" hidden>
      <div class="row spread">
        <h2 id="run-title" data-i18n="run">Run</h2>
        <span id="status" class="status" data-status=""></span>
      </div>
      <progress id="progress" max="100" value="0"></progress>
      <p id="message" class="message"></p>
      <div class="columns">
        <div>
          <h3 data-i18n="steps">Steps</h3>
          <ol id="steps" class="steps"></ol>
        </div>
        <div>
          <h3 data-i18n="usage">Token usage</h3>
          <dl class="usage">
            <dt data-i18n="inputTokens">Input</dt><dd id="usage-in">0</dd>
            <dt data-i18n="outputTokens">Output</dt><dd id="usage-out">0</dd>
            <dt data-i18n="modelCalls">Model calls</dt><dd id="usage-calls">0</dd>
            <dt data-i18n="cost">Cost</dt><dd id="usage-cost">–</dd>
          </dl>
          <ul id="warnings" class="warnings"></ul>
        </div>
      </div>
      <div id="confirm" class="confirm" hidden>
        <h3 data-i18n="confirmTitle">Approve the outline</h3>
        <input id="outline-title" type="text" maxlength="500">
        <ol id="outline-sections"></ol>
        <div class="row">
          <button type="button" id="approve" class="primary" data-i18n="approve">Approve</button>
          <input id="feedback" type="text" maxlength="2000" data-i18n-placeholder="feedbackPlaceholder">
          <button type="button" id="reject" class="danger" data-i18n="reject">Reject</button>
        </div>
      </div>
      <p id="run-error" class="error" role="alert" hidden></p>
      <h3 data-i18n="sections">Sections</h3>
      <div id="sections" class="sections"></div>
    </section>

    <section id="report-panel" class="panel" hidden>
      <div class="row spread">
        <h2 data-i18n="report">Report</h2>
        <button type="button" id="download" class="primary" data-i18n="download">Download .md</button>
      </div>
      <article id="report" class="markdown"></article>
      <h3 data-i18n="sources">Sources</h3>
      <ol id="sources" class="sources"></ol>
    </section>
  </main>
</div>
</body>
</html>
`;
