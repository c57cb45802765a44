import type { Outline } from "../author.js";
import type { GeneratingSectionsStart } from "../events/index.js";
import type { EvidencePool, Selection } from "../evidence/index.js";
import type { Messages } from "./messages.js";
import type { ProgressEmitter } from "./progress.js";
import type { SourceRegistry } from "./source-registry.js";

const LISTED = 5;

function quote(title: string): string {
  const short = title.length > 80 ? `${title.slice(0, 77)}…` : title;
  return `“${short}”`;
}

function listed(items: string[]): string {
  return items.length > LISTED
    ? `${items.slice(0, LISTED).join("; ")}; … (+${items.length - LISTED})`
    : items.join("; ");
}

/** Counts for the `searching` and `supplementing_search` details. */
export function poolCounts(registry: SourceRegistry, pool: EvidencePool): { duplicates: number; off_topic: number } {
  return { duplicates: registry.collapsed.length, off_topic: pool.offTopic().length };
}

/** Sources each section will get, for the `searching` details. */
export function perSectionCounts(
  outline: Outline,
  selection: Selection,
): Array<{ id: number; name: string; sources: number }> {
  return outline.sections.map((section) => ({
    id: section.id,
    name: section.name,
    sources: selection.sections.find((entry) => entry.id === section.id)?.sources.length ?? 0,
  }));
}

/**
 * Warns, once before writing, about the copies folded into their original and the off-topic
 * sources left out, naming them (the `warning` details list every one).
 */
export async function warnAboutLeftOutSources(input: {
  registry: SourceRegistry;
  pool: EvidencePool;
  emitter: ProgressEmitter;
  messages: Messages;
}): Promise<void> {
  const { registry, pool, emitter, messages } = input;
  const copies = registry.collapsed;
  if (copies.length > 0) {
    const byOriginal = new Map<number, string[]>();
    for (const copy of copies) {
      const original = registry.get(copy.kept_id)?.id ?? copy.kept_id;
      byOriginal.set(original, [...(byOriginal.get(original) ?? []), copy.url]);
    }
    const lines = [...byOriginal].map(
      ([id, urls]) =>
        `${quote(registry.get(id)?.title ?? String(id))} (${registry.get(id)?.url ?? ""}) ← ${urls.join(", ")}`,
    );
    await emitter.warn(messages.duplicatesCollapsed(copies.length, listed(lines)), {
      kind: "duplicates",
      duplicates: copies.map((copy) => ({
        id: copy.id,
        url: copy.url,
        kept_id: registry.get(copy.kept_id)?.id ?? copy.kept_id,
        reason: copy.reason,
      })),
    });
  }
  const offTopic = pool.offTopic();
  if (offTopic.length > 0) {
    await emitter.warn(
      messages.offTopicLeftOut(
        offTopic.length,
        listed(offTopic.map((source) => `${quote(source.title)} (${source.url})`)),
      ),
      {
        kind: "off_topic",
        off_topic: offTopic,
      },
    );
  }
}

/** The `evidence` and `unused` details of `generating_sections`: what each writer gets, and what was left out and why. */
export function evidenceDetails(
  outline: Outline,
  selection: Selection,
): Pick<GeneratingSectionsStart, "evidence" | "unused"> {
  return {
    evidence: outline.sections.map((section) => {
      const chosen = selection.sections.find((entry) => entry.id === section.id);
      return {
        id: section.id,
        name: section.name,
        sources: chosen?.sources.map((source) => source.id) ?? [],
        tokens: chosen?.tokens ?? 0,
        left_out: chosen?.left_out ?? [],
      };
    }),
    unused: selection.unused,
  };
}
