import readline from "node:readline";
import { describeEstimate } from "../core/cost/estimate-text.js";
import type { Intent, Outline, OutlineSection } from "../core/author.js";
import { cancelledError, ReportError } from "../core/errors.js";
import type { ConfirmOutline, OutlineDecision } from "../core/runtime.js";
import type { InputStream, OutputStream } from "./cli-io.js";

const EDIT_HELP = [
  "Edit the outline:",
  "  rename <n> <new name>   rename section n",
  "  remove <n>              remove section n",
  "  add <name>              add a section at the end",
  "  move <n> <position>     move section n to a new position",
  "  show                    show the outline",
  "  done                    use the edited outline",
  "  cancel                  drop the edits",
].join("\n");

/** Renders the outline as numbered sections with their goals. */
export function formatOutline(outline: Outline): string {
  const lines = [`Proposed outline: ${outline.title}`];
  outline.sections.forEach((section, index) => {
    lines.push(`  ${index + 1}. ${section.name}`);
    if (section.goal && section.goal !== section.name) lines.push(`     ${section.goal}`);
  });
  return lines.join("\n");
}

/**
 * A terminal confirmer for `--no-auto-confirm`: shows the outline on `output` (stderr) and asks
 * approve / edit / reject. Editing is a small command dialogue (rename, remove, add, move);
 * `done` returns the edited outline (existing sections keep their ids and queries; added ones
 * get new ids and a query of topic + name).
 */
export function createOutlineDialogue(options: {
  input: InputStream;
  output: OutputStream;
  /** Ctrl-C while the prompt has the terminal (readline swallows the signal in raw mode). */
  onInterrupt?: () => void;
}): ConfirmOutline {
  return async ({ outline, intent, signal, estimate }) => {
    const rl = readline.createInterface({
      input: options.input,
      output: options.output,
      terminal: options.input.isTTY === true,
    });
    rl.on("SIGINT", () => {
      options.output.write("\n");
      options.onInterrupt?.();
    });
    const ask = createAsker({ rl, signal });
    const say = (text: string): void => void options.output.write(`${text}\n`);
    try {
      say(formatOutline(outline));
      if (estimate) say(describeEstimate(estimate, intent.language));
      for (;;) {
        const answer = (await ask("Approve this outline? [A]pprove (Enter) / [e]dit / [r]eject: ")).toLowerCase();
        if (answer === "a" || answer === "approve" || answer === "y" || answer === "yes" || answer === "")
          return { action: "approve" };
        if (answer === "r" || answer === "reject" || answer === "n" || answer === "no") {
          const feedback = await ask("Why? (optional, Enter to skip): ");
          return feedback ? { action: "reject", feedback } : { action: "reject" };
        }
        if (answer === "e" || answer === "edit") {
          const decision = await editOutline({ outline, intent, ask, say });
          if (decision) return decision;
          say(formatOutline(outline));
          continue;
        }
        say(`Please answer a, e or r.`);
      }
    } finally {
      rl.close();
    }
  };
}

/** The edit dialogue; null = edits dropped (back to the approve prompt). */
async function editOutline(options: {
  outline: Outline;
  intent: Intent;
  ask: (query: string) => Promise<string>;
  say: (text: string) => void;
}): Promise<OutlineDecision | null> {
  const { intent, ask, say } = options;
  let sections: OutlineSection[] = options.outline.sections.map((section) => ({
    ...section,
    queries: [...section.queries],
  }));
  let nextId = Math.max(-1, ...sections.map((section) => section.id)) + 1;
  const current = (): Outline => ({ title: options.outline.title, sections });
  say(EDIT_HELP);
  for (;;) {
    const line = await ask("edit> ");
    const [command = "", ...rest] = line.split(/\s+/);
    const index = (text: string | undefined): number | null => {
      const number = Number(text);
      return Number.isInteger(number) && number >= 1 && number <= sections.length ? number - 1 : null;
    };
    switch (command.toLowerCase()) {
      case "rename": {
        const at = index(rest[0]);
        const name = rest.slice(1).join(" ").trim();
        if (at === null || !name) {
          say(`Usage: rename <1-${sections.length}> <new name>`);
          break;
        }
        sections = sections.map((section, position) =>
          position === at
            ? { ...section, name, queries: withQuery(section.queries, `${intent.topic} ${name}`) }
            : section,
        );
        say(formatOutline(current()));
        break;
      }
      case "remove": {
        const at = index(rest[0]);
        if (at === null) say(`Usage: remove <1-${sections.length}>`);
        else sections = sections.filter((_, position) => position !== at);
        say(formatOutline(current()));
        break;
      }
      case "add": {
        const name = rest.join(" ").trim();
        if (!name) {
          say("Usage: add <section name>");
          break;
        }
        sections = [...sections, { id: nextId, name, goal: name, queries: [`${intent.topic} ${name}`] }];
        nextId += 1;
        say(formatOutline(current()));
        break;
      }
      case "move": {
        const from = index(rest[0]);
        const to = index(rest[1]);
        if (from === null || to === null) {
          say(`Usage: move <1-${sections.length}> <1-${sections.length}>`);
          break;
        }
        const moved = [...sections];
        const [section] = moved.splice(from, 1);
        if (section) moved.splice(to, 0, section);
        sections = moved;
        say(formatOutline(current()));
        break;
      }
      case "show":
        say(formatOutline(current()));
        break;
      case "done":
        if (sections.length === 0) {
          say("The outline needs at least one section (add one, or cancel).");
          break;
        }
        return { action: "edit", outline: current() };
      case "cancel":
        return null;
      case "":
        break;
      default:
        say(EDIT_HELP);
    }
  }
}

/**
 * Asks through a queue of typed lines, so lines typed or pasted ahead of a prompt are answers
 * to the next prompts rather than lost (readline's `question` drops them).
 */
function createAsker(options: { rl: readline.Interface; signal: AbortSignal }): (query: string) => Promise<string> {
  const { rl, signal } = options;
  const lines: string[] = [];
  let waiting: { resolve: (line: string) => void; reject: (error: unknown) => void } | null = null;
  rl.on("line", (line) => {
    if (waiting) {
      const current = waiting;
      waiting = null;
      current.resolve(line);
    } else {
      lines.push(line);
    }
  });
  const fail = (error: unknown): void => {
    const current = waiting;
    waiting = null;
    current?.reject(error);
  };
  signal.addEventListener("abort", () => fail(cancelledError(signal.reason)), { once: true });
  rl.on("close", () =>
    fail(new ReportError("cancelled", "The outline prompt was closed (end of input) before an answer.")),
  );
  return async (query) => {
    if (signal.aborted) throw cancelledError(signal.reason);
    rl.setPrompt(query);
    rl.prompt();
    const queued = lines.shift();
    if (queued !== undefined) return queued.trim();
    const line = await new Promise<string>((resolve, reject) => {
      waiting = { resolve, reject };
    });
    return line.trim();
  };
}

function withQuery(queries: string[], query: string): string[] {
  return queries.includes(query) ? queries : [query, ...queries];
}
