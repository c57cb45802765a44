import type { Intent, Outline } from "../author.js";
import { ReportError } from "../errors.js";

const MAX_SECTIONS = 10;
const MAX_QUERIES_PER_SECTION = 4;

/**
 * Makes an outline safe to run: sections numbered 0..n-1, names trimmed, every section with at
 * least one query. An outline with no usable section is an error (from a model or a person).
 */
export function normalizeOutline(outline: Outline, intent: Intent): Outline {
  const sections = outline.sections
    .map((section) => ({ ...section, name: section.name.trim(), goal: (section.goal ?? "").trim() }))
    .filter((section) => section.name.length > 0)
    .slice(0, MAX_SECTIONS)
    .map((section, index) => {
      const queries = [...new Set((section.queries ?? []).map((query) => query.trim()).filter(Boolean))];
      return {
        id: index,
        name: section.name,
        goal: section.goal || section.name,
        queries: (queries.length > 0 ? queries : [`${intent.topic} ${section.name}`]).slice(0, MAX_QUERIES_PER_SECTION),
      };
    });
  if (sections.length === 0) {
    throw new ReportError(
      "report_generation_failed",
      "The outline has no sections, so there is nothing to write. Try rephrasing the task, or approve an outline with at least one section.",
    );
  }
  return { title: outline.title.trim() || intent.topic, sections };
}
