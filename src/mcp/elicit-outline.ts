import {
  ErrorCode,
  McpError,
  type ElicitRequestFormParams,
  type ElicitResult,
} from "@modelcontextprotocol/sdk/types.js";
import { describeEstimate } from "../core/cost/estimate-text.js";
import type { Outline, OutlineSection } from "../core/author.js";
import { ReportError } from "../core/errors.js";
import type { ConfirmOutline, OutlineDecision } from "../core/runtime.js";

/** Sends one form elicitation (the request's `sendRequest` or the server's `elicitInput`). */
export type Elicit = (
  params: ElicitRequestFormParams,
  options: { signal: AbortSignal; timeout: number },
) => Promise<ElicitResult>;

/** How long a person may take to decide on an outline (the SDK's default request timeout is 60 s). */
export const OUTLINE_DECISION_TIMEOUT_MS = 30 * 60 * 1000;

const SECTION_SEPARATOR = /\r?\n|;|；/;

/** The form put to the person: a decision, optional new section names, optional feedback. */
function outlineForm(outline: Outline, quote?: string): ElicitRequestFormParams {
  const names = outline.sections.map((section) => section.name);
  const listing = outline.sections.map((section, index) => `${index + 1}. ${section.name}: ${section.goal}`).join("\n");
  return {
    mode: "form",
    message: `Proposed outline for "${outline.title}":\n\n${listing}\n\n${quote ? `${quote}\n\n` : ""}Approve it, edit the section names, or reject it (the report then stops).`,
    requestedSchema: {
      type: "object",
      properties: {
        decision: {
          type: "string",
          title: "Decision",
          description: "approve: write the report with this outline; edit: use the section names below; reject: stop.",
          oneOf: [
            { const: "approve", title: "Approve the outline" },
            { const: "edit", title: "Use my edited section names" },
            { const: "reject", title: "Reject and stop" },
          ],
          default: "approve",
        },
        sections: {
          type: "string",
          title: "Section names (for edit)",
          description:
            "One section name per line (or separated by ';'), in order. Sections can be renamed, removed or added.",
          default: names.join("\n"),
        },
        feedback: {
          type: "string",
          title: "Feedback (optional)",
          description: "Why you rejected or changed the outline.",
        },
      },
      required: ["decision"],
    },
  };
}

/** Applies edited section names: renamed sections keep their goal and add a query for the new name; new names become new sections. */
export function editOutline(outline: Outline, sectionNames: string[]): Outline {
  const topic = outline.title;
  const sections: OutlineSection[] = sectionNames.map((name, index) => {
    const existing = outline.sections[index];
    if (existing && existing.name === name) return existing;
    if (existing) return { ...existing, name, queries: [...new Set([`${topic} ${name}`, ...existing.queries])] };
    return { id: index, name, goal: name, queries: [`${topic} ${name}`] };
  });
  return { title: outline.title, sections: sections.map((section, index) => ({ ...section, id: index })) };
}

function decisionFrom(result: ElicitResult, outline: Outline): OutlineDecision {
  const content = result.content ?? {};
  const feedback =
    typeof content.feedback === "string" && content.feedback.trim() ? content.feedback.trim() : undefined;
  if (result.action !== "accept") {
    return {
      action: "reject",
      feedback: feedback ?? (result.action === "decline" ? "declined by the person" : "dismissed without a decision"),
    };
  }
  if (content.decision === "reject") return { action: "reject", feedback };
  if (content.decision === "edit") {
    const raw = typeof content.sections === "string" ? content.sections : "";
    const names = raw
      .split(SECTION_SEPARATOR)
      .map((name) => name.trim())
      .filter((name) => name.length > 0);
    if (names.length === 0) return { action: "approve" };
    return { action: "edit", outline: editOutline(outline, names) };
  }
  return { action: "approve" };
}

/** The run's error when the elicitation itself failed (not a decision): what happened and what to do. */
function elicitationError(error: unknown, timeoutMs: number): ReportError {
  if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
    const minutes = Math.max(1, Math.round(timeoutMs / 60_000));
    return new ReportError(
      "cancelled",
      `No decision on the outline arrived within ${minutes} minute(s), so the run was stopped. Start it again and approve or reject the outline sooner, or use auto_confirm: true.`,
      { cause: error },
    );
  }
  const reason = (error instanceof Error ? error.message : String(error)).replace(/^MCP error -?\d+: /, "");
  return new ReportError(
    "report_generation_failed",
    `The host could not put the outline to the person for approval (${reason}). Call again with auto_confirm: true to skip outline approval.`,
    { cause: error },
  );
}

/**
 * A ConfirmOutline that asks the person through MCP form elicitation. "decline" or "cancel"
 * counts as a rejection: the pipeline then ends the run with a `cancelled` error that says so.
 * An elicitation that fails (host error, no answer in time) ends the run with an error saying so;
 * the abort of a cancelled run passes through unchanged.
 */
export function createElicitConfirm(options: { elicit: Elicit; timeoutMs?: number }): ConfirmOutline {
  const timeout = options.timeoutMs ?? OUTLINE_DECISION_TIMEOUT_MS;
  return async ({ outline, signal, estimate, intent }) => {
    // The request gets its own signal, detached once answered: the SDK never removes its abort
    // listener, so the run's signal would pile up listeners and, when the run ended, send
    // notifications/cancelled for an elicitation the person had already answered.
    const request = new AbortController();
    const forward = (): void => request.abort(signal.reason);
    if (signal.aborted) forward();
    else signal.addEventListener("abort", forward, { once: true });
    let result: ElicitResult;
    try {
      result = await options.elicit(
        outlineForm(outline, estimate ? describeEstimate(estimate, intent.language) : undefined),
        { signal: request.signal, timeout },
      );
    } catch (error) {
      if (signal.aborted) throw error;
      throw elicitationError(error, timeout);
    } finally {
      signal.removeEventListener("abort", forward);
    }
    return decisionFrom(result, outline);
  };
}
