import type { Intent, Outline, WrittenSection } from "../author.js";
import { isFinishedSection, type ProgressEvent } from "../events/index.js";
import { completeOutline } from "../outline-shape.js";
import type { ResolvedTaskType } from "../params.js";
import type { JobHeader, JobRecord, JobSnapshot } from "./types.js";

/*
 * Readers of typed events (core/events/details.ts). Events reach a snapshot from the pipeline
 * (typed when created) or from a store (checked against the same schemas when read back), so
 * narrowing on `status` is enough: no second parse.
 */

/** The intent analysis produced, when this event carries it (`analyzing_intent`, after). */
export function intentOf(event: ProgressEvent): Intent | null {
  return event.status === "analyzing_intent" && event.details ? event.details.intent : null;
}

/** The task type intent analysis resolved, when this event carries it. */
function resolvedTaskType(event: ProgressEvent): ResolvedTaskType | null {
  return intentOf(event)?.task_type ?? null;
}

/** The outline an event carries (`generating_outline` after planning or an edit, `awaiting_confirmation`). */
export function outlineOf(event: ProgressEvent): Outline | null {
  if (event.status !== "generating_outline" && event.status !== "awaiting_confirmation") return null;
  const outline = event.details?.outline;
  return outline ? completeOutline(outline) : null;
}

/** The finished section (`{id, name, content}`) a `generating_sections` event carries. */
export function sectionOf(event: ProgressEvent): WrittenSection | null {
  if (event.status !== "generating_sections" || !isFinishedSection(event.details)) return null;
  const { id, name, content } = event.details;
  return { id, name, content };
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
      const resolvedType = resolvedTaskType(event);
      if (resolvedType) snapshot.task_type = resolvedType;
      snapshot.outline = outlineOf(event) ?? snapshot.outline;
      const section = sectionOf(event);
      if (section && !snapshot.sections.some((existing) => existing.id === section.id)) snapshot.sections.push(section);
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
