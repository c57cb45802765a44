/** The web page's stylesheet (served as /assets/app.css; no inline styles, so the CSP stays strict). */
export const PAGE_STYLE = String.raw`
:root { --fg: #1d2330; --muted: #667085; --line: #d9dee7; --bg: #f6f7f9; --card: #fff; --accent: #2f5bd3; --danger: #c4342d; --ok: #1f8a4c; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif; color: var(--fg); background: var(--bg); }
.bar { display: flex; align-items: baseline; gap: 1rem; padding: .75rem 1.25rem; background: var(--card); border-bottom: 1px solid var(--line); }
.bar h1 { font-size: 1.2rem; margin: 0; }
.tagline { color: var(--muted); flex: 1; }
.layout { display: grid; grid-template-columns: 260px 1fr; gap: 1rem; padding: 1rem; max-width: 1400px; margin: 0 auto; }
@media (max-width: 860px) { .layout { grid-template-columns: 1fr; } }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1rem; margin-bottom: 1rem; }
h2 { font-size: 1.05rem; margin: 0 0 .5rem; } h3 { font-size: .95rem; margin: 1rem 0 .4rem; color: var(--muted); }
.row { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; margin-top: .5rem; }
.spread { justify-content: space-between; margin-top: 0; }
textarea, input, select { font: inherit; padding: .4rem .5rem; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
textarea { width: 100%; resize: vertical; }
.options { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: .5rem; margin-top: .5rem; }
.options label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); gap: .2rem; }
.options label.check { flex-direction: row; align-items: center; }
button { font: inherit; border: 1px solid var(--line); border-radius: 6px; padding: .4rem .9rem; background: #fff; cursor: pointer; }
button:disabled { opacity: .5; cursor: default; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.danger { color: var(--danger); border-color: var(--danger); }
button.link { border: 0; background: none; color: var(--accent); padding: 0; }
.error { color: var(--danger); }
progress { width: 100%; height: 12px; }
.message { color: var(--muted); min-height: 1.5em; margin: .3rem 0; }
.status { font-size: .85rem; padding: .1rem .5rem; border-radius: 10px; background: var(--bg); }
.status[data-status="completed"] { color: var(--ok); } .status[data-status="failed"], .status[data-status="cancelled"] { color: var(--danger); }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
.steps { padding-left: 1.2rem; margin: 0; } .steps li { color: var(--muted); } .steps li[data-state="active"] { color: var(--accent); font-weight: 600; } .steps li[data-state="done"] { color: var(--ok); } .steps li[data-state="stopped"] { color: var(--danger); }
.usage { display: grid; grid-template-columns: auto 1fr; gap: .1rem 1rem; margin: 0; } .usage dd { margin: 0; font-variant-numeric: tabular-nums; }
.warnings { color: #9a6700; padding-left: 1.2rem; font-size: .9rem; }
.sessions { list-style: none; padding: 0; margin: 0; } .sessions li { border-bottom: 1px solid var(--line); }
.sessions button { width: 100%; text-align: left; border: 0; padding: .4rem 0; background: none; }
.sessions .meta { display: block; font-size: .8rem; color: var(--muted); }
.sections article { border-top: 1px solid var(--line); padding-top: .5rem; }
.markdown { overflow-wrap: anywhere; } .markdown table { border-collapse: collapse; } .markdown td, .markdown th { border: 1px solid var(--line); padding: .2rem .4rem; }
.sources { font-size: .9rem; } .sources .meta { color: var(--muted); }
.confirm { border: 1px dashed var(--accent); border-radius: 8px; padding: .75rem; margin-top: .75rem; }
.confirm input[type="text"] { width: 100%; } .confirm li { margin: .25rem 0; }
#feedback { flex: 1; }
`;
