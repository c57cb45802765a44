import { z } from "zod";
import type { Outline, WrittenSection } from "../author.js";
import type { ResolvedTaskType } from "../params.js";
import type { JobHeader, JobRecord, JobSnapshot } from "./types.js";

const outlineSchema = z.object({
  title: z.string(),
  sections: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      goal: z.string().nullish(),
      queries: z.array(z.string()).nullish(),
    }),
  ),
});

const sectionSchema = z.object({ id: z.number(), name: z.string(), content: z.string() });
const intentSchema = z.object({ intent: z.object({ task_type: z.enum(["news_report", "research_report", "industry_analysis"]) }) });

/** The task type intent analysis resolved (`details.intent.task_type`), if this event carries it. */
function resolvedTaskType(details: Record<string, unknown> | undefined): ResolvedTaskType | null {
  const parsed = intentSchema.safeParse(details);
  return parsed.success ? parsed.data.intent.task_type : null;
}

/** Reads an outline out of an event's details (`details.outline`, or details itself), leniently. */
export function outlineFromDetails(details: Record<string, unknown> | undefined): Outline | null {
  if (!details) return null;
  const parsed = outlineSchema.safeParse(details["outline"] ?? details);
  if (!parsed.success) return null;
  return {
    title: parsed.data.title,
    sections: parsed.data.sections.map((section) => ({
      id: section.id,
      name: section.name,
      goal: section.goal ?? "",
      queries: section.queries ?? [],
    })),
  };
}

/** Reads a finished section (`{id, name, content}`) out of an event's details, leniently. */
export function sectionFromDetails(details: Record<string, unknown> | undefined): WrittenSection | null {
  if (!details) return null;
  const parsed = sectionSchema.safeParse(details);
  return parsed.success ? parsed.data : null;
}

/** Folds one record into a snapshot (mutates it). Used live and when restoring from a store. */
export function applyRecord(snapshot: JobSnapshot, record: JobRecord): void {
  snapshot.last_seq = record.seq;
  switch (record.kind) {
    case "started":
      return;
    case "event": {
      const event = record.event;
      if (event.type !== "progress") return;
      snapshot.progress = Math.max(snapshot.progress, Math.min(100, Math.max(0, event.progress)));
      snapshot.message = event.message;
      if (event.status !== "warning") snapshot.current_status = event.status;
      // Whoever puts the outline to the person (HTTP /confirm, MCP elicitation, …), the job waits.
      if (event.status === "awaiting_confirmation") snapshot.status = "awaiting_confirmation";
      else if (snapshot.status === "awaiting_confirmation" && event.status !== "warning") snapshot.status = "running";
      const resolvedType = resolvedTaskType(event.details);
      if (resolvedType) snapshot.task_type = resolvedType;
      if (event.status === "generating_outline" || event.status === "awaiting_confirmation") {
        snapshot.outline = outlineFromDetails(event.details) ?? snapshot.outline;
      }
      if (event.status === "generating_sections") {
        const section = sectionFromDetails(event.details);
        if (section && !snapshot.sections.some((existing) => existing.id === section.id)) {
          snapshot.sections.push(section);
        }
      }
      return;
    }
    case "result":
      snapshot.status = "completed";
      snapshot.result = record.result;
      snapshot.task_type = record.result.task_type;
      snapshot.progress = 100;
      snapshot.current_status = "task_completed";
      snapshot.end_time = record.time;
      return;
    case "error":
      snapshot.status = record.error.type === "cancelled" ? "cancelled" : "failed";
      snapshot.error = record.error;
      snapshot.end_time = record.time;
      return;
  }
}

/** A copy safe to hand out (arrays copied; result and outline are treated as immutable). */
export function copySnapshot(snapshot: JobSnapshot): JobSnapshot {
  return { ...snapshot, sections: [...snapshot.sections] };
}

/** The snapshot of a job that has no record yet. */
export function initialSnapshot(header: JobHeader): JobSnapshot {
  return {
    ...header,
    status: "running",
    end_time: null,
    progress: 0,
    message: "",
    current_status: null,
    outline: null,
    sections: [],
    result: null,
    error: null,
    last_seq: 0,
  };
}

/**
 * Rebuilds a job from its stored records: the longest run of records numbered 1, 2, 3, … up to
 * and including the first terminal one (anything after a gap or past the end is dropped).
 */
export function replayRecords(header: JobHeader, stored: JobRecord[]): { snapshot: JobSnapshot; records: JobRecord[] } {
  const snapshot = initialSnapshot(header);
  const records: JobRecord[] = [];
  for (const record of [...stored].sort((left, right) => left.seq - right.seq)) {
    if (record.seq !== records.length + 1) break;
    records.push(record);
    applyRecord(snapshot, record);
    if (record.kind === "result" || record.kind === "error") break;
  }
  return { snapshot, records };
}
