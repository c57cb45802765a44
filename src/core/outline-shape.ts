import type { Outline } from "./author.js";

/**
 * An outline as events carry it (a section's goal and queries may be absent for readers), made
 * whole as stores, snapshots and the confirm body hold it. No runtime imports: the web page
 * bundles this too.
 */
export function completeOutline(outline: {
  title: string;
  sections: ReadonlyArray<{ id: number; name: string; goal?: string | undefined; queries?: string[] | undefined }>;
}): Outline {
  return {
    title: outline.title,
    sections: outline.sections.map((section) => ({
      id: section.id,
      name: section.name,
      goal: section.goal ?? "",
      queries: section.queries ?? [],
    })),
  };
}
